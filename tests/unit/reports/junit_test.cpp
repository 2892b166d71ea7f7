#include "plumb/reports/junit.hpp"

#include <set>

#include <gtest/gtest.h>

#include "plumb/reports/escape.hpp"
#include "format.hpp"
#include "sample_reports.hpp"
#include "xml_tree.hpp"

namespace plumb::reports {
namespace {

using testing::XmlElement;

const XmlElement* suite_named(const XmlElement& root, const std::string& name) {
  for (const auto* suite : root.all("testsuite")) {
    if (suite->attr("name") == name) {
      return suite;
    }
  }
  return nullptr;
}

TEST(Junit, OneSuitePerVariantWithConsistentCounts) {
  const auto report = testing::realistic_report();
  const auto root = testing::parse_xml(render_junit(report));
  ASSERT_EQ(root->name, "testsuites");
  const auto suites = root->all("testsuite");
  ASSERT_EQ(suites.size(), report.variants.size() + 1);  // One per variant, and the run's verdict.
  std::size_t total_tests = 0, total_failures = 0, total_errors = 0;
  for (const auto* suite : suites) {
    const auto cases = suite->all("testcase");
    std::size_t failures = 0, errors = 0;
    for (const auto* test_case : cases) {
      failures += test_case->all("failure").size();
      errors += test_case->all("error").size();
    }
    EXPECT_EQ(std::to_string(cases.size()), suite->attr("tests")) << suite->attr("name");
    EXPECT_EQ(std::to_string(failures), suite->attr("failures")) << suite->attr("name");
    EXPECT_EQ(std::to_string(errors), suite->attr("errors")) << suite->attr("name");
    total_tests += cases.size();
    total_failures += failures;
    total_errors += errors;
  }
  EXPECT_EQ(root->attr("tests"), std::to_string(total_tests));
  EXPECT_EQ(root->attr("failures"), std::to_string(total_failures));
  EXPECT_EQ(root->attr("errors"), std::to_string(total_errors));
}

TEST(Junit, VariantRunCaseFollowsTheVariantsVerdict) {
  const auto report = testing::realistic_report();
  const auto root = testing::parse_xml(render_junit(report));
  for (const auto& variant : report.variants) {
    const auto* suite = suite_named(*root, variant.name);
    ASSERT_NE(suite, nullptr) << variant.name;
    const auto* run = suite->all("testcase").front();
    EXPECT_EQ(run->attr("name"), "run " + std::string(core::name_of(variant.tool)));
    EXPECT_EQ(run->all("failure").size(), variant.verdict == core::Verdict::Fail ? 1U : 0U) << variant.name;
    EXPECT_EQ(run->all("error").size(), variant.verdict == core::Verdict::Error ? 1U : 0U) << variant.name;
    if (variant.verdict == core::Verdict::Fail) {
      EXPECT_EQ(run->all("failure").front()->attr("type"), std::string(core::to_string(variant.status)));
    }
  }
}

TEST(Junit, EveryGatingFindingIsAFailingCaseInEachOfItsVariants) {
  const auto report = testing::realistic_report();
  const auto root = testing::parse_xml(render_junit(report));
  std::set<std::pair<std::string, std::string>> expected;  // (variant, fingerprint)
  for (const auto& finding : report.findings) {
    if (core::is_gating(finding)) {
      for (const auto& variant : finding.variants) {
        expected.emplace(variant, finding.fingerprint);
      }
    }
  }
  std::set<std::pair<std::string, std::string>> found;
  for (const auto* suite : root->all("testsuite")) {
    for (const auto* test_case : suite->all("testcase")) {
      for (const auto* failure : test_case->all("failure")) {
        const std::string message = failure->attr("message");
        const auto at = message.find("(fingerprint ");
        if (at == std::string::npos || message.rfind("verdict ", 0) == 0) {
          continue;
        }
        const std::string fingerprint = message.substr(at + 13, message.size() - at - 14);
        EXPECT_TRUE(found.emplace(suite->attr("name"), fingerprint).second)
            << "duplicate case for " << fingerprint;
        EXPECT_EQ(message.rfind(failure->attr("type") + ": ", 0), 0U) << message;  // starts with the kind
        EXPECT_NE(failure->text.find("top frames:\n"), std::string::npos);
      }
    }
  }
  EXPECT_EQ(found, expected);
  // The definite leak's top frames are listed with file:line.
  const auto* asan = suite_named(*root, "asan-batch");
  ASSERT_NE(asan, nullptr);
  bool saw_frame = false;
  for (const auto* test_case : asan->all("testcase")) {
    for (const auto* failure : test_case->all("failure")) {
      saw_frame |= failure->text.find(
                       "spectre::detail::copy_metadata(std::span<unsigned char const>) "
                       "scanner/src/announcement.cpp:88") != std::string::npos;
    }
  }
  EXPECT_TRUE(saw_frame);
}

TEST(Junit, FailingGrowthSeriesIsAFailingCase) {
  const auto report = testing::realistic_report();
  const auto root = testing::parse_xml(render_junit(report));
  const auto* suite = suite_named(*root, "native-stream");
  ASSERT_NE(suite, nullptr);
  std::size_t growth_failures = 0;
  for (const auto* test_case : suite->all("testcase")) {
    if (test_case->attr("name") == "growth heap") {
      growth_failures += test_case->all("failure").size();
    }
  }
  EXPECT_EQ(growth_failures, 1U);
}

TEST(Junit, AGrowthFailureSaysWhatItsSlopeIsPer) {
  const std::string xml = render_junit(testing::doctor_report());
  EXPECT_NE(xml.find("message=\"rss grows +1.3 MiB/s (threshold +85.3 KiB/s)\""), std::string::npos) << xml;
  EXPECT_EQ(xml.find("/iter"), std::string::npos) << xml;
}

TEST(Junit, InjectedTextRoundTripsThroughAnXmlParser) {
  const auto report = testing::injection_report();
  const std::string xml = render_junit(report);
  std::unique_ptr<XmlElement> root;
  ASSERT_NO_THROW(root = testing::parse_xml(xml));
  const auto* suite = suite_named(*root, sanitize_utf8(report.variants[0].name));
  ASSERT_NE(suite, nullptr);
  const auto* run = suite->all("testcase").front();
  ASSERT_EQ(run->all("system-out").size(), 1U);
  EXPECT_EQ(run->all("system-out").front()->text, sanitize_utf8(report.variants[0].repro));
  EXPECT_EQ(root->all("testsuite").size(), 2U);  // The variant's, and the run's verdict.
}

TEST(Junit, CharactersXmlForbidsInNamesStillMakeWellFormedXml) {
  const std::string odd = testing::injection_payloads().back();  // U+FFFE, U+FFFF, a lone surrogate, ...
  auto report = testing::realistic_report();
  report.variants[0].name += odd;
  report.findings[0].frames[0].function = odd;
  report.findings[0].frames[0].file = odd + ".cpp";
  report.findings[0].message = odd;
  const std::string xml = render_junit(report);
  EXPECT_NO_THROW(testing::parse_xml(xml));
  EXPECT_EQ(xml.find("\xEF\xBF\xBE"), std::string::npos);
  EXPECT_EQ(xml.find("\xEF\xBF\xBF"), std::string::npos);
  EXPECT_EQ(xml.find("\xED\xA0\x80"), std::string::npos);
}

}  // namespace
}  // namespace plumb::reports

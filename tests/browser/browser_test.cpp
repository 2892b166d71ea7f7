// report.html in a real browser: the DOM after scripts ran must match report.json, injected
// markup must stay text and never run, and a screenshot is saved for people to look at.
// GCC 12 at -O1 with sanitizers warns falsely inside <regex> (-Wmaybe-uninitialized in std::function).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <regex>
#pragma GCC diagnostic pop
#else
#include <regex>
#endif

#include <valgrind/valgrind.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "chromium.hpp"
#include "plumb/core/report_json.hpp"
#include "plumb/reports/write.hpp"
#include "sample_reports.hpp"

namespace plumb::reports {
namespace {

namespace fs = std::filesystem;

std::size_t count_matches(const std::string& text, const std::string& pattern) {
  const std::regex re(pattern);
  return static_cast<std::size_t>(
      std::distance(std::sregex_iterator(text.begin(), text.end(), re), std::sregex_iterator()));
}

class Browser : public ::testing::Test {
 protected:
  void SetUp() override {
    if (RUNNING_ON_VALGRIND) {
      GTEST_SKIP() << "not launching chromium under valgrind";
    }
    const auto found = testing::find_chromium();
    if (!found) {
      GTEST_SKIP() << "chromium not found (install Debian's chromium, or set PLUMB_CHROMIUM)";
    }
    chromium_ = *found;
    output_ =
        fs::path(PLUMB_BROWSER_OUTPUT_DIR) / ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(output_);
    fs::create_directories(output_);
  }

  // The report's HTML written by write_reports into this test's output folder.
  fs::path write(const core::Report& report) { return write_reports(report, output_).html; }

  void save_screenshot(const fs::path& page, int height = 2000) {
    const fs::path png = output_ / "screenshot.png";
    testing::screenshot(chromium_, page, png, height);
    std::cout << "screenshot: " << png.string() << "\n";
    RecordProperty("screenshot", png.string());
  }

  // Asserts the rendered DOM shows what report.json says.
  static void expect_dom_matches(const std::string& dom, const core::Report& report) {
    // The inline script ran (its CSP hash was accepted) and swapped no-js for js.
    EXPECT_NE(dom.find("<html lang=\"en\" class=\"js\">"), std::string::npos)
        << "the report script did not run";
    const std::string verdict(core::to_string(report.verdict));
    EXPECT_NE(dom.find("id=\"verdict\" data-verdict=\"" + verdict + "\""), std::string::npos);
    std::string word = verdict;
    for (auto& c : word) {
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    EXPECT_NE(dom.find(">" + word + "</div>"), std::string::npos);
    EXPECT_EQ(count_matches(dom, "<tr class=\"variant\""), report.variants.size());

    // One card per site (kind and site key): the call paths to one bug share a card.
    std::map<std::string, std::set<std::string>> fingerprints;
    for (const auto& finding : report.findings) {
      const std::string kind(core::to_string(finding.kind));
      fingerprints[kind].insert(core::site_key(finding));
    }
    for (const auto& [kind, unique] : fingerprints) {
      EXPECT_EQ(count_matches(dom, "<article class=\"finding[^\"]*\" data-kind=\"" +
                                       std::regex_replace(kind, std::regex("\\."), "\\.") + "\""),
                unique.size())
          << kind;
      EXPECT_NE(
          dom.find("<tr data-kind=\"" + kind + "\" data-count=\"" + std::to_string(unique.size()) + "\">"),
          std::string::npos)
          << kind;
    }
    std::size_t groups = 0;
    for (const auto& [kind, unique] : fingerprints) {
      groups += unique.size();
    }
    EXPECT_EQ(count_matches(dom, "<article class=\"finding"), groups);
    if (!report.findings.empty()) {
      for (const char* id : {"filter-kind", "filter-status", "filter-tool", "filter-search"}) {
        EXPECT_NE(dom.find(std::string("id=\"") + id + "\""), std::string::npos) << id;
      }
      // The filter script counted every group as shown.
      EXPECT_NE(dom.find(">" + std::to_string(groups) + " of " + std::to_string(groups) + " shown<"),
                std::string::npos);
    }
    // One chart per growth series, each with its samples drawn.
    EXPECT_EQ(count_matches(dom, "<svg class=\"growth-chart\""), report.growth.size());
    for (const auto& series : report.growth) {
      if (!series.samples.empty() && series.samples.size() <= 240) {
        EXPECT_NE(dom.find("data-samples=\"" + std::to_string(series.samples.size()) + "\""),
                  std::string::npos);
      }
    }
    EXPECT_EQ(count_matches(dom, "<polyline class=\"samples-line\""),
              static_cast<std::size_t>(std::count_if(report.growth.begin(), report.growth.end(),
                                                     [](const auto& s) { return !s.samples.empty(); })));
    EXPECT_EQ(count_matches(dom, "<tr class=\"suppression\""), report.suppressions.size());
  }

  fs::path chromium_;
  fs::path output_;
};

TEST_F(Browser, RealisticReportRendersAsReportJsonSays) {
  const auto page = write(testing::realistic_report());
  std::ifstream json(output_ / "report.json");
  const auto report = core::read_report(json, "report.json");
  expect_dom_matches(testing::dump_dom(chromium_, page), report);
  save_screenshot(page);
}

TEST_F(Browser, InjectedMarkupStaysTextAndNeverRuns) {
  const auto report = testing::injection_report();
  const auto page = write(report);
  const std::string dom = testing::dump_dom(chromium_, page);
  // The page's own script ran, so CSP and the page work; nothing injected did.
  EXPECT_NE(dom.find("<html lang=\"en\" class=\"js\">"), std::string::npos);
  EXPECT_NE(dom.find("<body>"), std::string::npos) << "body gained attributes";
  EXPECT_EQ(dom.find("data-pwned=\""), std::string::npos);
  EXPECT_NE(dom.find("<title>plumb report: ERROR</title>"), std::string::npos);
  EXPECT_EQ(count_matches(dom, "<img"), 0U);
  EXPECT_EQ(count_matches(dom, "<script"), 2U);
  EXPECT_EQ(count_matches(dom, "<svg"), report.growth.size());
  // The payloads are there, as text.
  EXPECT_NE(dom.find("&lt;script&gt;document.body.setAttribute('data-pwned','script')&lt;/script&gt;"),
            std::string::npos);
  EXPECT_NE(dom.find("\"&gt;&lt;img src=x onerror=\"document.body.setAttribute('data-pwned','img')\"&gt;"),
            std::string::npos);
  EXPECT_NE(dom.find("&lt;/script&gt;&lt;script&gt;document.title='pwned'&lt;/script&gt;"),
            std::string::npos);
  save_screenshot(page, 1400);
}

TEST_F(Browser, FiltersHideWhatDoesNotMatch) {
  const auto report = testing::realistic_report();
  const auto page = write(report);
  const std::string dom = testing::dump_dom(chromium_, page, "filter:kind=race&status=new");
  const std::regex article("<article class=\"finding[^\"]*\" data-kind=\"([a-z.]+)\"[^>]*>");
  std::size_t shown = 0, hidden = 0;
  for (auto it = std::sregex_iterator(dom.begin(), dom.end(), article); it != std::sregex_iterator(); ++it) {
    const bool is_hidden = it->str().find(" hidden=\"\"") != std::string::npos;
    EXPECT_EQ(is_hidden, (*it)[1] != "race") << it->str();
    (is_hidden ? hidden : shown) += 1;
  }
  EXPECT_EQ(shown, 1U);
  EXPECT_EQ(hidden, 7U);
  EXPECT_NE(dom.find(">1 of 8 shown<"), std::string::npos);
}

// A report produced by a real run: PLUMB_BROWSER_REPORT_DIR names a folder holding plumb's
// report.json and report.html; without it, the real memcheck fixture is rendered here.
TEST_F(Browser, RealRunReportRendersAsReportJsonSays) {
  fs::path dir;
  if (const char* configured = std::getenv("PLUMB_BROWSER_REPORT_DIR");
      configured != nullptr && *configured) {
    dir = configured;
  } else {
    // The committed gallery report: a real `plumb run --tier pr` with every tool's canary,
    // rendered by today's renderer.
    std::ifstream fixture(PLUMB_GALLERY_REPORT);
    ASSERT_TRUE(fixture) << "no " << PLUMB_GALLERY_REPORT << " (scripts/make-gallery writes it)";
    write(core::read_report(fixture, PLUMB_GALLERY_REPORT));
    dir = output_;
  }
  std::ifstream json(dir / "report.json");
  ASSERT_TRUE(json) << "no report.json in " << dir;
  const auto report = core::read_report(json, (dir / "report.json").string());
  // Chromium reads a copy in our output folder, so the screenshot sits next to it.
  const fs::path page = output_ / "report.html";
  if (dir != output_) {
    fs::copy_file(dir / "report.html", page, fs::copy_options::overwrite_existing);
  }
  expect_dom_matches(testing::dump_dom(chromium_, page), report);
  save_screenshot(page);
}

}  // namespace
}  // namespace plumb::reports

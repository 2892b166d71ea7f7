#include "plumb/reports/sarif.hpp"

#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sample_reports.hpp"

namespace plumb::reports {
namespace {

using nlohmann::json;

// Checks the properties SARIF 2.1.0 requires of a location (§3.28) and its parts.
void expect_valid_location(const json& location) {
  ASSERT_TRUE(location.is_object());
  if (location.contains("physicalLocation")) {
    const auto& physical = location["physicalLocation"];
    ASSERT_TRUE(physical.contains("artifactLocation"));  // §3.29.2: artifactLocation or address
    const std::string uri = physical["artifactLocation"]["uri"];
    EXPECT_FALSE(uri.empty());
    EXPECT_EQ(uri.find(' '), std::string::npos);
    if (physical.contains("region")) {
      EXPECT_GE(physical["region"]["startLine"].get<int>(), 1);
    }
  }
}

TEST(Sarif, LogHasTheRequiredTopLevelStructure) {
  const auto log = json::parse(render_sarif(testing::realistic_report()));
  EXPECT_EQ(log["version"], "2.1.0");
  EXPECT_TRUE(log["$schema"].is_string());
  ASSERT_TRUE(log["runs"].is_array());
  ASSERT_EQ(log["runs"].size(), 1U);
  const auto& driver = log["runs"][0]["tool"]["driver"];
  EXPECT_EQ(driver["name"], "plumb");
  std::set<std::string> rule_ids;
  for (const auto& rule : driver["rules"]) {
    ASSERT_TRUE(rule["id"].is_string());
    EXPECT_TRUE(rule_ids.insert(rule["id"]).second);
    EXPECT_TRUE(rule["shortDescription"]["text"].is_string());
  }
  std::set<std::string> kinds;
  for (const auto kind : core::kAllFindingKinds) {
    kinds.emplace(core::to_string(kind));
  }
  EXPECT_EQ(rule_ids, kinds);
  for (const auto& invocation : log["runs"][0]["invocations"]) {
    EXPECT_TRUE(invocation["executionSuccessful"].is_boolean());  // required by §3.20.14
  }
}

TEST(Sarif, EveryResultIsWellFormedAndFingerprinted) {
  const auto report = testing::realistic_report();
  const auto log = json::parse(render_sarif(report));
  const auto& run = log["runs"][0];
  const auto& results = run["results"];
  ASSERT_EQ(results.size(), report.findings.size());
  const std::set<std::string> levels = {"none", "note", "warning", "error"};
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto& result = results[i];
    const auto& finding = report.findings[i];
    EXPECT_EQ(result["ruleId"], std::string(core::to_string(finding.kind)));
    EXPECT_EQ(run["tool"]["driver"]["rules"][result["ruleIndex"].get<std::size_t>()]["id"], result["ruleId"]);
    EXPECT_FALSE(result["message"]["text"].get<std::string>().empty());
    EXPECT_TRUE(levels.count(result["level"]));
    EXPECT_EQ(result["partialFingerprints"]["plumb/v1"], finding.fingerprint);
    for (const auto& location : result["locations"]) {
      expect_valid_location(location);
    }
    if (!finding.frames.empty()) {
      const auto& flow = result["codeFlows"][0]["threadFlows"][0];
      ASSERT_EQ(flow["locations"].size(), finding.frames.size());
      for (const auto& step : flow["locations"]) {
        expect_valid_location(step["location"]);
      }
      // Execution order: the outermost frame comes first, the innermost last.
      EXPECT_EQ(flow["locations"].back()["location"]["logicalLocations"][0]["fullyQualifiedName"],
                finding.frames.front().function);
    }
    for (const auto& suppression : result.value("suppressions", json::array())) {
      EXPECT_TRUE(suppression["kind"] == "external" || suppression["kind"] == "inSource");
    }
  }
}

TEST(Sarif, LevelsAndSuppressionsFollowTheFindingStatus) {
  const auto report = testing::realistic_report();
  const auto log = json::parse(render_sarif(report));
  const auto& results = log["runs"][0]["results"];
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto& finding = report.findings[i];
    const auto& result = results[i];
    switch (finding.status) {
      case core::FindingStatus::New:
        EXPECT_EQ(result["level"], finding.kind == core::FindingKind::LeakReachable ? "warning" : "error");
        EXPECT_FALSE(result.contains("suppressions"));
        EXPECT_EQ(result["baselineState"], "new");
        break;
      case core::FindingStatus::Suppressed:
        EXPECT_EQ(result["level"], "note");
        EXPECT_EQ(result["suppressions"][0]["kind"], "external");
        EXPECT_NE(result["suppressions"][0]["justification"].get<std::string>().find(*finding.suppression),
                  std::string::npos);
        break;
      case core::FindingStatus::Baseline:
        EXPECT_EQ(result["level"], "note");
        EXPECT_EQ(result["suppressions"][0]["kind"], "external");
        EXPECT_EQ(result["baselineState"], "unchanged");
        break;
    }
  }
}

TEST(Sarif, ResultIsLocatedAtTheTopUserFrame) {
  const auto report = testing::realistic_report();
  const auto log = json::parse(render_sarif(report));
  const auto result_of = [&](const std::string& rule) -> const json& {
    for (const auto& result : log["runs"][0]["results"]) {
      if (result["ruleId"] == rule) {
        return result;
      }
    }
    ADD_FAILURE() << "no " << rule << " result";
    return log;
  };
  const auto& definite = result_of("leak.definite");
  const auto& physical = definite["locations"][0]["physicalLocation"];
  EXPECT_EQ(physical["artifactLocation"]["uri"], "scanner/src/announcement.cpp");
  EXPECT_EQ(physical["artifactLocation"]["uriBaseId"], "SRCROOT");
  EXPECT_EQ(physical["region"]["startLine"], 88);
  // The thread leak's innermost frame (pthread_create) has no file: the location skips to user code.
  const auto& thread_leak = result_of("thread.leak");
  EXPECT_EQ(thread_leak["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "scanner/src/worker_pool.cpp");
  EXPECT_EQ(thread_leak["locations"][0]["physicalLocation"]["region"]["startLine"], 31);
  // The race's other thread is a related location and a second thread flow.
  const auto& race = result_of("race");
  EXPECT_EQ(race["relatedLocations"].size(), 1U);
  EXPECT_EQ(race["codeFlows"][0]["threadFlows"].size(), 2U);
}

// A heap.growth rule is described for every tool's growth, the doctor's per second included.
TEST(Sarif, TheGrowthRuleSaysNothingOfIterations) {
  const std::string sarif = render_sarif(testing::doctor_report());
  EXPECT_NE(sarif.find("heap.growth"), std::string::npos) << sarif;
  EXPECT_EQ(sarif.find("per iteration"), std::string::npos) << sarif;
}

TEST(Sarif, InjectedTextStaysValidJson) {
  const auto log = json::parse(render_sarif(testing::injection_report()));
  EXPECT_EQ(log["runs"][0]["results"].size(), testing::injection_payloads().size());
  EXPECT_EQ(log["runs"][0]["results"][0]["partialFingerprints"]["plumb/v1"],
            testing::injection_payloads()[0]);
}

}  // namespace
}  // namespace plumb::reports

#include "plumb/analyze/gate.hpp"

#include <gtest/gtest.h>

#include "plumb/analyze/analyze.hpp"
#include "plumb/core/errors.hpp"

namespace plumb::analyze {
namespace {

using core::FindingKind;
using core::FindingStatus;
using core::VariantStatus;

core::VariantResult variant(std::string name, VariantStatus status = VariantStatus::Ok) {
  core::VariantResult result;
  result.name = std::move(name);
  result.tool = core::Tool::Memcheck;
  result.status = status;
  result.exit_code = 0;
  return result;
}

core::Finding finding(FindingKind kind, std::string variant_name, FindingStatus status = FindingStatus::New) {
  core::Finding result;
  result.fingerprint = "0123456789abcdef";
  result.kind = kind;
  result.tools = {core::Reporter::Memcheck};
  result.variants = {std::move(variant_name)};
  result.frames = {{"leaky_function(int)", "", 0, ""}};
  result.status = status;
  return result;
}

int gate(core::Report report, const GatePolicy& policy = default_gate_policy()) {
  apply_gate(report, policy);
  return exit_code(report);
}

TEST(DefaultGatePolicy, EveryKindButReachableGates) {
  const auto policy = default_gate_policy();
  EXPECT_EQ(policy.gating_kinds.size(), std::size(core::kAllFindingKinds) - 1);
  EXPECT_EQ(policy.gating_kinds.count(FindingKind::LeakReachable), 0u);
  EXPECT_TRUE(policy.fail_on_growth);
}

TEST(Gate, CleanRunPasses) {
  core::Report report;
  report.variants = {variant("memcheck"), variant("asan")};
  apply_gate(report, default_gate_policy());
  EXPECT_EQ(report.verdict, core::Verdict::Pass);
  EXPECT_TRUE(report.reasons.empty());
  EXPECT_EQ(report.variants[0].verdict, core::Verdict::Pass);
  EXPECT_EQ(exit_code(report), core::kExitPass);
}

TEST(Gate, NewGatingFindingFailsWithAReasonNamingTheTopFrame) {
  core::Report report;
  report.variants = {variant("memcheck")};
  report.findings = {finding(FindingKind::LeakDefinite, "memcheck")};
  apply_gate(report, default_gate_policy());
  EXPECT_EQ(report.verdict, core::Verdict::Fail);
  ASSERT_EQ(report.reasons.size(), 1u);
  EXPECT_EQ(report.reasons[0].verdict, core::Verdict::Fail);
  EXPECT_EQ(report.reasons[0].variant, "memcheck");
  EXPECT_EQ(report.reasons[0].text, "new leak.definite in leaky_function (memcheck) [0123456789abcdef]");
  EXPECT_EQ(report.findings[0].disposition, core::Disposition::Gating);
  EXPECT_EQ(report.variants[0].verdict, core::Verdict::Fail);
  EXPECT_EQ(exit_code(report), core::kExitGateFailed);
}

TEST(Gate, EveryFindingGetsItsDispositionAndOnlyGatingOnesFail) {
  core::Report report;
  report.variants = {variant("memcheck")};
  report.findings = {finding(FindingKind::LeakReachable, "memcheck"),
                     finding(FindingKind::LeakDefinite, "memcheck", FindingStatus::Baseline),
                     finding(FindingKind::Race, "memcheck", FindingStatus::Suppressed)};
  apply_gate(report, default_gate_policy());
  EXPECT_EQ(report.findings[0].disposition, core::Disposition::KindNotGating);
  EXPECT_EQ(report.findings[1].disposition, core::Disposition::Baseline);
  EXPECT_EQ(report.findings[2].disposition, core::Disposition::Suppressed);
  EXPECT_EQ(report.verdict, core::Verdict::Pass);
  EXPECT_EQ(exit_code(report), core::kExitPass);
}

TEST(Gate, PolicyChoosesGatingKindsAndGrowth) {
  core::Report report;
  report.variants = {variant("massif")};
  report.findings = {finding(FindingKind::HeapGrowth, "massif")};
  EXPECT_EQ(gate(report), core::kExitGateFailed);
  auto policy = default_gate_policy();
  policy.fail_on_growth = false;
  EXPECT_EQ(gate(report, policy), core::kExitPass);
  report.findings = {finding(FindingKind::LeakReachable, "massif")};
  policy.gating_kinds.insert(FindingKind::LeakReachable);
  EXPECT_EQ(gate(report, policy), core::kExitGateFailed);
}

TEST(Gate, AVariantThatCouldNotBeJudgedMakesTheRunAnErrorOverFindings) {
  for (const auto status :
       {VariantStatus::Timeout, VariantStatus::Crashed, VariantStatus::Incomplete, VariantStatus::Skipped}) {
    core::Report report;
    report.variants = {variant("memcheck"), variant("tsan", status)};
    report.findings = {finding(FindingKind::LeakDefinite, "memcheck")};
    apply_gate(report, default_gate_policy());
    EXPECT_EQ(report.verdict, core::Verdict::Error) << core::to_string(status);
    ASSERT_EQ(report.reasons.size(), 2u);
    EXPECT_EQ(report.reasons[0].verdict, core::Verdict::Error);  // Errors come first.
    EXPECT_EQ(report.reasons[1].verdict, core::Verdict::Fail);
    EXPECT_EQ(report.variants[1].verdict, core::Verdict::Error);
    EXPECT_EQ(report.variants[0].verdict, core::Verdict::Fail);
    EXPECT_EQ(exit_code(report), core::kExitInfrastructure);
  }
}

TEST(Gate, ATestSkippedByItsOwnRuleIsNoErrorAndItsFindingsStillGate) {
  core::Report report;
  core::VariantResult skipped = variant("memcheck/needs_network", VariantStatus::Skipped);
  skipped.skipped_by_rule = true;
  skipped.exit_code = 77;
  report.variants = {skipped};
  apply_gate(report, default_gate_policy());
  EXPECT_EQ(report.verdict, core::Verdict::Pass);
  EXPECT_EQ(report.variants[0].verdict, core::Verdict::Pass);
  EXPECT_FALSE(cannot_be_judged(report.variants[0]));
  report.findings = {finding(FindingKind::LeakDefinite, "memcheck/needs_network")};
  apply_gate(report, default_gate_policy());
  EXPECT_EQ(report.verdict, core::Verdict::Fail);
}

TEST(Gate, AVariantErrorFromAnalysisIsAnError) {
  core::Report report;
  auto cut = variant("memcheck");
  cut.errors = {"log memcheck/memcheck.1.xml is incomplete: the XML is cut off"};
  report.variants = {cut};
  apply_gate(report, default_gate_policy());
  EXPECT_EQ(report.verdict, core::Verdict::Error);
  ASSERT_EQ(report.reasons.size(), 1u);
  EXPECT_NE(report.reasons[0].text.find("is incomplete"), std::string::npos);
}

TEST(Gate, SilentCanaryIsAnError) {
  core::Report report;
  auto canary = variant("memcheck-canary", VariantStatus::Failed);
  canary.canary = true;
  report.variants = {variant("memcheck"), canary};
  // A memory error is not proof of the planted leak.
  report.findings = {finding(FindingKind::MemoryError, "memcheck-canary")};
  apply_gate(report, default_gate_policy());
  EXPECT_EQ(report.verdict, core::Verdict::Error);
  EXPECT_EQ(report.variants[1].verdict, core::Verdict::Error);
  EXPECT_TRUE(report.variants[1].caught.empty());
  ASSERT_FALSE(report.reasons.empty());
  EXPECT_NE(report.reasons[0].text.find("canary stayed silent"), std::string::npos);
}

TEST(Gate, CaughtCanaryPassesAndSaysWhatItCaught) {
  core::Report report;
  auto canary = variant("asan-canary", VariantStatus::Failed);
  canary.canary = true;
  canary.exit_code = 23;
  report.variants = {variant("asan"), canary};
  report.findings = {finding(FindingKind::LeakDefinite, "asan-canary")};
  apply_gate(report, default_gate_policy());
  EXPECT_EQ(report.verdict, core::Verdict::Pass);
  EXPECT_EQ(report.findings[0].disposition, core::Disposition::CanaryExpected);
  EXPECT_EQ(report.variants[1].verdict, core::Verdict::Pass);
  EXPECT_EQ(report.variants[1].caught, std::vector<std::string>{"leak.definite at leaky_function"});
  // The same defect in a variant that is not a canary gates.
  report.findings[0].variants.push_back("asan");
  EXPECT_EQ(gate(report), core::kExitGateFailed);
}

TEST(Gate, CanaryGrowthIsCaughtAndDoesNotGate) {
  core::Report report;
  auto canary = variant("native-canary", VariantStatus::Ok);
  canary.canary = true;
  report.variants = {canary};
  core::GrowthSeries series;
  series.variant = "native-canary";
  series.metric = "heap";
  series.verdict = core::GrowthVerdict::Fail;
  report.growth = {series};
  report.findings = {finding(FindingKind::HeapGrowth, "native-canary")};
  report.findings[0].detail = "heap";
  apply_gate(report, default_gate_policy());
  EXPECT_EQ(report.verdict, core::Verdict::Pass);
  EXPECT_FALSE(report.growth[0].gating);
  EXPECT_FALSE(report.variants[0].caught.empty());
  // Outside a canary the same series gates.
  report.variants[0].canary = false;
  apply_gate(report, default_gate_policy());
  EXPECT_TRUE(report.growth[0].gating);
  EXPECT_EQ(report.verdict, core::Verdict::Fail);
}

TEST(Gate, UnexplainedNonZeroExitFails) {
  core::Report report;
  auto failed = variant("native", VariantStatus::Failed);
  failed.exit_code = 1;
  report.variants = {failed};
  apply_gate(report, default_gate_policy());
  ASSERT_EQ(report.reasons.size(), 1u);
  EXPECT_EQ(report.reasons[0].text, "variant native failed (exit 1) without any finding");
  EXPECT_EQ(exit_code(report), core::kExitGateFailed);
  // The program's own failure (memcheck exits with the program's code) is not explained by a
  // finding that is accepted: a failing test with baselined leaks still fails.
  report.findings = {finding(FindingKind::LeakDefinite, "native", FindingStatus::Suppressed)};
  apply_gate(report, default_gate_policy());
  ASSERT_EQ(report.reasons.size(), 1u);
  EXPECT_EQ(
      report.reasons[0].text,
      "variant native failed (exit 1) on its own: its exit code is the program's, not memcheck's report "
      "code, whatever its findings");
  EXPECT_EQ(exit_code(report), core::kExitGateFailed);
}

// A sanitizer that reported ends the program with plumb's report code (ASan 23, TSan 66): that
// exit is the findings', and accepted findings leave nothing to fail on.
TEST(Gate, ASanitizersReportExitIsExplainedByItsFindings) {
  for (const auto& [tool, code] : {std::pair<std::string, int>{"asan", 23}, {"tsan", 66}}) {
    core::Report report;
    auto failed = variant("native", VariantStatus::Failed);
    failed.tool = core::tool_of_log(tool);
    failed.exit_code = code;
    report.variants = {failed};
    report.findings = {finding(FindingKind::LeakDefinite, "native", FindingStatus::Baseline)};
    EXPECT_EQ(gate(report), core::kExitPass) << tool;
    // Another exit code is the program's own failure.
    report.variants[0].exit_code = 1;
    EXPECT_EQ(gate(report), core::kExitGateFailed) << tool;
  }
}

TEST(Gate, ACommandThatCouldNotRunIsAnError) {
  core::Report report;
  auto missing = variant("native", VariantStatus::Failed);
  missing.exit_code = 127;
  report.variants = {missing};
  EXPECT_EQ(gate(report), core::kExitInfrastructure);
}

TEST(Gate, RunLevelErrorsMakeTheRunAnError) {
  core::Report report;
  report.errors = {"interrupted"};
  apply_gate(report, default_gate_policy());
  EXPECT_EQ(report.verdict, core::Verdict::Error);
  ASSERT_EQ(report.reasons.size(), 1u);
  EXPECT_EQ(report.reasons[0].variant, "");
}

}  // namespace
}  // namespace plumb::analyze

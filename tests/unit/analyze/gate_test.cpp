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
  result.tool = "memcheck";
  result.status = status;
  result.exit_code = 0;
  return result;
}

core::Finding finding(FindingKind kind, std::string variant_name, FindingStatus status = FindingStatus::New) {
  core::Finding result;
  result.fingerprint = "0123456789abcdef";
  result.kind = kind;
  result.tools = {"memcheck"};
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
  EXPECT_EQ(report.verdict, "pass");
  EXPECT_TRUE(report.gate_reasons.empty());
  EXPECT_EQ(exit_code(report), core::kExitPass);
}

TEST(Gate, NewGatingFindingFailsWithAReasonNamingTheTopFrame) {
  core::Report report;
  report.variants = {variant("memcheck")};
  report.findings = {finding(FindingKind::LeakDefinite, "memcheck")};
  apply_gate(report, default_gate_policy());
  EXPECT_EQ(report.verdict, "fail");
  ASSERT_EQ(report.gate_reasons.size(), 1u);
  EXPECT_EQ(report.gate_reasons[0], "new leak.definite in leaky_function (memcheck) [0123456789abcdef]");
  EXPECT_EQ(exit_code(report), core::kExitGateFailed);
}

TEST(Gate, ReachableBaselineAndSuppressedFindingsPass) {
  core::Report report;
  report.variants = {variant("memcheck")};
  report.findings = {finding(FindingKind::LeakReachable, "memcheck"),
                     finding(FindingKind::LeakDefinite, "memcheck", FindingStatus::Baseline),
                     finding(FindingKind::Race, "memcheck", FindingStatus::Suppressed)};
  EXPECT_EQ(gate(report), core::kExitPass);
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

TEST(Gate, InfrastructureFailuresExitThreeAndWinOverFindings) {
  for (const auto status : {VariantStatus::Timeout, VariantStatus::Crashed, VariantStatus::Incomplete}) {
    core::Report report;
    report.variants = {variant("memcheck"), variant("tsan", status)};
    report.findings = {finding(FindingKind::LeakDefinite, "memcheck")};
    apply_gate(report, default_gate_policy());
    EXPECT_EQ(report.verdict, "fail");
    EXPECT_EQ(report.gate_reasons.size(), 2u);
    EXPECT_EQ(exit_code(report), core::kExitInfrastructure) << core::to_string(status);
  }
}

TEST(Gate, SilentCanaryIsAnInfrastructureFailure) {
  core::Report report;
  auto canary = variant("memcheck-canary", VariantStatus::Failed);
  canary.canary = true;
  canary.note = std::string(kSilentCanaryNote);
  report.variants = {variant("memcheck"), canary};
  EXPECT_TRUE(is_infrastructure_failure(canary));
  EXPECT_EQ(gate(report), core::kExitInfrastructure);
}

TEST(Gate, CanaryFindingsDoNotGateButTheSameDefectElsewhereDoes) {
  core::Report report;
  auto canary = variant("asan-canary", VariantStatus::Failed);
  canary.canary = true;
  canary.exit_code = 23;
  report.variants = {variant("asan"), canary};
  report.findings = {finding(FindingKind::LeakDefinite, "asan-canary")};
  EXPECT_EQ(gate(report), core::kExitPass);
  report.findings[0].variants.push_back("asan");
  EXPECT_EQ(gate(report), core::kExitGateFailed);
}

TEST(Gate, UnexplainedNonZeroExitFails) {
  core::Report report;
  auto failed = variant("native", VariantStatus::Failed);
  failed.exit_code = 1;
  report.variants = {failed};
  apply_gate(report, default_gate_policy());
  ASSERT_EQ(report.gate_reasons.size(), 1u);
  EXPECT_EQ(report.gate_reasons[0], "variant native failed (exit 1) without any finding");
  EXPECT_EQ(exit_code(report), core::kExitGateFailed);
  // A non-zero exit explained by a finding (even a suppressed one) adds no reason of its own.
  report.findings = {finding(FindingKind::LeakDefinite, "native", FindingStatus::Suppressed)};
  EXPECT_EQ(gate(report), core::kExitPass);
}

TEST(Gate, SkippedVariantsNeitherPassNorFail) {
  core::Report report;
  report.variants = {variant("nightly-only", VariantStatus::Skipped)};
  EXPECT_EQ(gate(report), core::kExitPass);
}

}  // namespace
}  // namespace plumb::analyze

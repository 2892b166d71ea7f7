#include "plumb/analyze/merge.hpp"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "plumb/analyze/analyze.hpp"
#include "plumb/analyze/fingerprint.hpp"
#include "plumb/core/errors.hpp"
#include "plumb/core/report_json.hpp"
#include "real_frames.hpp"

namespace plumb::analyze {
namespace {

using core::FindingKind;
using core::FindingStatus;

// One CI runner's report: one variant analysed on its own, written and read back as report.json.
core::Report runner_report(std::string variant, std::string tool, std::vector<core::Frame> frames,
                           const SuppressionSet& suppressions = {}) {
  core::VariantOutcome outcome;
  outcome.result.name = std::move(variant);
  outcome.result.tool = core::tool_of_log(tool);
  core::ParsedLog log;
  log.format = core::require_log_format(tool);
  log.reporter = core::spec_of(*log.format).reporter;
  log.result.recognised = true;
  if (!frames.empty()) {
    core::Finding finding;
    finding.kind = FindingKind::LeakDefinite;
    finding.frames = std::move(frames);
    finding.bytes = 24;
    finding.blocks = 1;
    log.result.findings.push_back(finding);
  }
  outcome.logs.push_back(log);
  AnalysisInputs inputs;
  inputs.suppressions = suppressions;
  const auto report = analyze({outcome}, inputs);
  std::istringstream json(core::to_json(report).dump());
  return core::read_report(json, "report.json");
}

TEST(MergeReports, SameLeakOnTwoRunnersIsOneFinding) {
  const auto merged = merge_reports({runner_report("memcheck", "memcheck", testdata::memcheck_malloc_leak()),
                                     runner_report("asan", "lsan", testdata::lsan_gcc_malloc_leak())},
                                    default_gate_policy());
  ASSERT_EQ(merged.variants.size(), 2u);
  ASSERT_EQ(merged.findings.size(), 1u);
  EXPECT_EQ(merged.findings[0].tools, (std::vector<core::Reporter>{core::Reporter::Lsan, core::Reporter::Memcheck}));
  EXPECT_EQ(merged.findings[0].variants, (std::vector<std::string>{"asan", "memcheck"}));
  EXPECT_EQ(merged.findings[0].bytes, 24u);
  EXPECT_EQ(merged.verdict, core::Verdict::Fail);
  EXPECT_EQ(exit_code(merged), core::kExitGateFailed);
}

// A report of older identity rules is identified again as a run would: two leaking calls in one
// function stay two findings ("f@x.c" and "f@x.c#2"), not one.
TEST(MergeReports, AnOlderReportsTwoLeaksInOneFunctionStayTwo) {
  core::VariantOutcome outcome;
  outcome.result.name = "memcheck";
  outcome.result.tool = core::Tool::Memcheck;
  core::ParsedLog log;
  log.format = core::LogFormat::Memcheck;
  log.reporter = core::Reporter::Memcheck;
  log.result.recognised = true;
  for (const int line : {10, 20}) {
    core::Finding finding;
    finding.kind = FindingKind::LeakDefinite;
    finding.frames = {{"malloc", "", 0, "/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so"},
                      {"fill", "/src/x.c", line, "/src/build/prog"},
                      {"main", "/src/x.c", 30, "/src/build/prog"}};
    finding.bytes = 24;
    finding.blocks = 1;
    log.result.findings.push_back(finding);
  }
  outcome.logs.push_back(log);
  core::Report older = analyze({outcome}, AnalysisInputs{});
  ASSERT_EQ(older.findings.size(), 2u);
  std::set<std::string> expected;
  for (const auto& finding : older.findings) {
    expected.insert(finding.site + " " + finding.fingerprint);
  }
  older.identity = kIdentityVersion - 1;
  for (auto& finding : older.findings) {
    finding.fingerprint = "0000000000000000";  // what older rules made: never read again
    finding.site = "fill@x.c";
  }
  const auto merged = merge_reports({older}, default_gate_policy());
  std::set<std::string> got;
  for (const auto& finding : merged.findings) {
    got.insert(finding.site + " " + finding.fingerprint);
  }
  EXPECT_EQ(got, expected);
  EXPECT_EQ(merged.identity, kIdentityVersion);
}

// A CTest test's entry keeps its suite and test through report.json, so a merged report still
// groups tests under their variant (JUnit suites, the HTML's heading rows).
TEST(MergeReports, ACtestTestKeepsItsSuiteAndTest) {
  core::Report report;
  core::VariantResult test;
  test.name = "memcheck/parse array";
  test.suite = "memcheck";
  test.test = "parse array";
  test.tool = core::Tool::Memcheck;
  report.variants = {test, runner_report("plain", "memcheck", {}).variants.at(0)};
  std::istringstream json(core::to_json(report).dump());
  const core::Report read = core::read_report(json, "report.json");
  EXPECT_EQ(read.variants.at(0).suite, "memcheck");
  EXPECT_EQ(read.variants.at(0).test, "parse array");
  EXPECT_EQ(read.variants.at(1).suite, "");
  EXPECT_FALSE(core::to_json(read)["variants"][1].contains("suite"));  // plain variants: as before
  const core::Report merged = merge_reports({read}, default_gate_policy());
  EXPECT_EQ(merged.variants.at(0).test, "parse array");
}

TEST(MergeReports, DuplicateVariantNamesAreAUsageError) {
  EXPECT_THROW(merge_reports({runner_report("asan", "lsan", {}), runner_report("asan", "lsan", {})},
                             default_gate_policy()),
               core::UsageError);
}

TEST(MergeReports, NewWinsOverSuppressedAndHitsAddUp) {
  SuppressionSet set;
  set.entries = {{"helper", {FindingKind::LeakDefinite}, {"plumbdemo::leaky_function"}, "r", {}, 1},
                 {"other", {FindingKind::Race}, {"x"}, "r", {}, 2}};
  auto suppressed = runner_report("memcheck", "memcheck", testdata::memcheck_malloc_leak(), set);
  auto suppressed_too = runner_report("asan", "lsan", testdata::lsan_gcc_malloc_leak(), set);
  auto quiet = runner_report("tsan", "tsan", {}, set);
  auto merged = merge_reports({suppressed, suppressed_too, quiet}, default_gate_policy());
  ASSERT_EQ(merged.suppressions.size(), 2u);
  EXPECT_EQ(merged.suppressions[0].hits, 2u);
  EXPECT_FALSE(merged.suppressions[0].stale) << "stale only where it is stale everywhere";
  EXPECT_TRUE(merged.suppressions[1].stale);
  EXPECT_EQ(merged.findings[0].status, FindingStatus::Suppressed);
  EXPECT_EQ(merged.verdict, core::Verdict::Pass);

  auto unsuppressed = runner_report("memcheck-nightly", "memcheck", testdata::memcheck_malloc_leak());
  merged = merge_reports({suppressed, unsuppressed}, default_gate_policy());
  ASSERT_EQ(merged.findings.size(), 1u);
  EXPECT_EQ(merged.findings[0].status, FindingStatus::New);
  EXPECT_FALSE(merged.findings[0].suppression.has_value());
  EXPECT_EQ(merged.verdict, core::Verdict::Fail);
}

TEST(MergeReports, InfrastructureFailureOnOneRunnerFailsTheWhole) {
  auto broken = runner_report("tsan", "tsan", {});
  broken.variants[0].status = core::VariantStatus::Timeout;
  const auto merged = merge_reports({runner_report("asan", "lsan", {}), broken}, default_gate_policy());
  EXPECT_EQ(exit_code(merged), core::kExitInfrastructure);
}

TEST(MergeReports, AnErrorReportMakesTheMergeAnError) {
  // A variant whose build failed: its report says error; the merge of it must not pass.
  core::VariantOutcome outcome;
  outcome.result.name = "asan";
  outcome.result.tool = core::Tool::Asan;
  outcome.result.status = core::VariantStatus::Skipped;
  outcome.expects_output = false;
  outcome.errors = {"not run: the build of preset asan failed; see build-logs/build-asan.log"};
  const auto broken = analyze({outcome}, AnalysisInputs{});
  ASSERT_EQ(broken.verdict, core::Verdict::Error);
  std::istringstream json(core::to_json(broken).dump());
  const auto merged =
      merge_reports({runner_report("memcheck", "memcheck", {}), core::read_report(json, "report.json")},
                    default_gate_policy());
  EXPECT_EQ(merged.verdict, core::Verdict::Error);
  EXPECT_EQ(exit_code(merged), core::kExitInfrastructure);
  ASSERT_FALSE(merged.reasons.empty());
  EXPECT_NE(merged.reasons[0].text.find("build-asan.log"), std::string::npos);
}

TEST(MergeReports, ReadsSchemaOneAndAnErrorWithoutAVariantStillErrs) {
  const std::string old = R"({"schema": "plumb.report/1", "verdict": "pass",
    "variants": [{"name": "memcheck", "tool": "memcheck", "status": "ok"}],
    "findings": [], "growth": [], "suppressions": [], "gate_reasons": []})";
  std::istringstream in(old);
  const auto v1 = core::read_report(in, "old.json");
  const auto merged = merge_reports({v1}, default_gate_policy());
  EXPECT_EQ(merged.verdict, core::Verdict::Pass);

  // A schema-2 report whose verdict is error for reasons no variant carries.
  core::Report odd;
  odd.verdict = core::Verdict::Error;
  odd.reasons = {{core::Verdict::Error, "", "the report set could not be written"}};
  const auto merged_odd = merge_reports({odd}, default_gate_policy());
  EXPECT_EQ(merged_odd.verdict, core::Verdict::Error);
}

// A run's tool is read back as the enum: the doctor's watch is one, any other name an error that
// says which file and which names a report may hold.
TEST(MergeReports, AReportsToolIsOneOfTheToolsAReportMayName) {
  const auto read = [](const std::string& tool) {
    std::istringstream in(R"({"schema": "plumb.report/1", "verdict": "pass",
      "variants": [{"name": "v", "tool": ")" + tool + R"(", "status": "ok"}],
      "findings": [], "growth": [], "suppressions": [], "gate_reasons": []})");
    return core::read_report(in, "old.json");
  };
  EXPECT_EQ(read("doctor").variants.at(0).tool, core::Tool::Doctor);
  try {
    (void)read("helgrind");
    ADD_FAILURE() << "an unknown tool was read";
  } catch (const core::UsageError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("old.json"), std::string::npos) << message;
    EXPECT_NE(message.find("unknown tool 'helgrind' (expected memcheck, massif, asan, tsan, native or doctor)"),
              std::string::npos)
        << message;
  }
}

// Who reported a finding is read back as the enum too: helgrind's XML is a valgrind tool's words;
// a name no tool reports by is an error naming the file and the names a finding's tools may hold.
TEST(MergeReports, AFindingsToolsAreReportersAReportMayName) {
  const auto read = [](const std::string& tool) {
    std::istringstream in(R"({"schema": "plumb.report/1", "verdict": "pass",
      "variants": [{"name": "v", "tool": "memcheck", "status": "ok"}],
      "findings": [{"fingerprint": "ab", "kind": "race", "tools": [")" + tool + R"("]}],
      "growth": [], "suppressions": [], "gate_reasons": []})");
    return core::read_report(in, "old.json");
  };
  EXPECT_EQ(read("helgrind").findings.at(0).tools, std::vector<core::Reporter>{core::Reporter::Helgrind});
  EXPECT_EQ(read("heaptrack").findings.at(0).tools, std::vector<core::Reporter>{core::Reporter::Heaptrack});
  try {
    (void)read("valgrind");
    ADD_FAILURE() << "an unknown reporter was read";
  } catch (const core::UsageError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("old.json"), std::string::npos) << message;
    EXPECT_NE(message.find("unknown tool \"valgrind\" in \"tools\" (expected memcheck, helgrind, drd, massif, "
                           "asan, lsan, ubsan, tsan, msan, native, samples, doctor or heaptrack)"),
              std::string::npos)
        << message;
  }
}

TEST(MergeReports, GrowthIsConcatenated) {
  auto a = runner_report("harness-a", "samples", {});
  auto b = runner_report("harness-b", "samples", {});
  a.growth.push_back(core::GrowthSeries{});
  b.growth.push_back(core::GrowthSeries{});
  EXPECT_EQ(merge_reports({a, b}, default_gate_policy()).growth.size(), 2u);
}

}  // namespace
}  // namespace plumb::analyze

#include "plumb/analyze/analyze.hpp"

#include <gtest/gtest.h>

#include "plumb/analyze/fingerprint.hpp"
#include "plumb/core/errors.hpp"
#include "real_frames.hpp"

namespace plumb::analyze {
namespace {

using core::FindingKind;
using core::FindingStatus;
using core::VariantStatus;

core::Finding leak(std::vector<core::Frame> frames, std::uint64_t bytes,
                   FindingKind kind = FindingKind::LeakDefinite) {
  core::Finding finding;
  finding.kind = kind;
  finding.frames = std::move(frames);
  finding.bytes = bytes;
  finding.blocks = 1;
  return finding;
}

core::VariantOutcome outcome(std::string name, std::string tool, std::vector<core::Finding> findings,
                             bool complete = true) {
  core::VariantOutcome result;
  result.result.name = std::move(name);
  result.result.tool = core::tool_of_log(tool);
  result.result.exit_code = 0;
  core::ParsedLog log;
  log.path = result.result.name + "/" + tool + ".log";
  log.format = core::log_format_named(tool == "asan" ? "lsan" : tool);
  log.reporter = log.format ? core::spec_of(*log.format).reporter : core::reporter_of(result.result.tool);
  log.result.recognised = true;
  log.result.complete = complete;
  log.result.findings = std::move(findings);
  result.logs.push_back(std::move(log));
  return result;
}

AnalysisInputs inputs() {
  AnalysisInputs result;
  result.today = "2025-06-15";
  return result;
}

// memcheck and LSan both report the two planted leaks of leaky_helper.cpp.
std::vector<core::VariantOutcome> two_tools() {
  return {
      outcome("memcheck", "memcheck",
              {leak(testdata::memcheck_malloc_leak(), 24), leak(testdata::memcheck_new_array_leak(), 40)}),
      outcome("asan", "asan",
              {leak(testdata::lsan_gcc_new_array_leak(), 40), leak(testdata::lsan_gcc_malloc_leak(), 24)})};
}

TEST(Analyze, SameLeaksFromTwoToolsAreTwoFindingsListingBoth) {
  const auto report = analyze(two_tools(), inputs());
  ASSERT_EQ(report.findings.size(), 2u);
  std::uint64_t total = 0;
  for (const auto& finding : report.findings) {
    EXPECT_EQ(finding.tools, (std::vector<core::Reporter>{core::Reporter::Lsan, core::Reporter::Memcheck}));
    EXPECT_EQ(finding.variants, (std::vector<std::string>{"asan", "memcheck"}));
    EXPECT_EQ(finding.fingerprint, fingerprint(finding));
    EXPECT_EQ(finding.status, FindingStatus::New);
    ASSERT_FALSE(finding.frames.empty());
    EXPECT_NE(finding.frames.front().function.find("plumbdemo::"), std::string::npos)
        << "runtime frames stripped";
    total += finding.bytes;
  }
  EXPECT_EQ(total, 64u) << "equals each tool's own summary (64 bytes definitely lost)";
  EXPECT_EQ(report.verdict, core::Verdict::Fail);
  EXPECT_EQ(exit_code(report), core::kExitGateFailed);
  EXPECT_EQ(report.variants.size(), 2u);
  EXPECT_FALSE(report.generated_at.empty());
}

TEST(Analyze, PastTheCapTheLargestNewFindingsAreListedAndTheRestCounted) {
  // 12 distinct leaks (distinct functions), of 10 to 120 bytes; the cap keeps 5 of them.
  std::vector<core::Finding> leaks;
  for (int i = 1; i <= 12; ++i) {
    leaks.push_back(leak(
        {{"leaker_" + std::to_string(i), "src/leaks.cpp", i, "prog"}, {"main", "src/main.cpp", 3, "prog"}},
        static_cast<std::uint64_t>(10 * i)));
  }
  AnalysisInputs capped = inputs();
  capped.max_findings_per_kind = 5;
  const core::Report report = analyze({outcome("memcheck", "memcheck", leaks)}, capped);
  ASSERT_EQ(report.findings.size(), 5U);
  for (const auto& finding : report.findings) {
    EXPECT_GE(finding.bytes, 80U) << "the largest are kept";
  }
  ASSERT_EQ(report.truncated.size(), 1U);
  EXPECT_EQ(report.truncated[0].kind, FindingKind::LeakDefinite);
  EXPECT_EQ(report.truncated[0].kept, 5U);
  EXPECT_EQ(report.truncated[0].dropped, 7U);
  EXPECT_EQ(report.truncated[0].dropped_new, 7U);
  EXPECT_EQ(report.truncated[0].dropped_bytes, 10U + 20 + 30 + 40 + 50 + 60 + 70);
  EXPECT_EQ(report.verdict, core::Verdict::Fail);
  bool counted = false;
  for (const auto& reason : report.reasons) {
    counted = counted ||
              reason.text == "7 more new leak.definite findings past the report's cap (counted, not listed)";
  }
  EXPECT_TRUE(counted);
  // Without a cap (0), every finding is listed.
  capped.max_findings_per_kind = 0;
  EXPECT_EQ(analyze({outcome("memcheck", "memcheck", leaks)}, capped).findings.size(), 12U);
}

TEST(Analyze, FramesFallBackToTheToolsStackWhenNothingUserIsLeft) {
  const auto report = analyze(
      {outcome("memcheck", "memcheck", {leak({{"malloc", "", 0, "vgpreload_memcheck.so"}}, 8)})}, inputs());
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].frames.size(), 1u);
}

SuppressionSet suppressions() {
  SuppressionSet set;
  set.source = "plumb.toml";
  set.entries = {
      {"widget", {FindingKind::LeakDefinite}, {"plumbdemo::make_widget"}, "accepted", {}, 1},
      {"old-waiver", {FindingKind::LeakDefinite}, {"plumbdemo::leaky_function"}, "ran out", "2025-06-14", 7},
      {"never-hit", {FindingKind::Race}, {"nothing"}, "stale", {}, 13},
  };
  return set;
}

TEST(Analyze, SuppressionsCountHitsFlagStaleAndExpiredEntries) {
  auto in = inputs();
  in.suppressions = suppressions();
  const auto report = analyze(two_tools(), in);
  ASSERT_EQ(report.suppressions.size(), 3u);
  EXPECT_EQ(report.suppressions[0].id, "widget");
  EXPECT_EQ(report.suppressions[0].hits, 1u) << "one (deduplicated) finding";
  EXPECT_FALSE(report.suppressions[0].stale);
  EXPECT_EQ(report.suppressions[0].reason, "accepted");
  // Expired: no longer suppresses, but still matches, so it is not stale.
  EXPECT_EQ(report.suppressions[1].hits, 0u);
  EXPECT_TRUE(report.suppressions[1].expired);
  EXPECT_FALSE(report.suppressions[1].stale);
  EXPECT_TRUE(report.suppressions[2].stale);
  EXPECT_FALSE(report.suppressions[2].expired);

  ASSERT_EQ(report.findings.size(), 2u);
  EXPECT_EQ(report.findings[0].status, FindingStatus::New) << "new findings sort first";
  EXPECT_EQ(report.findings[0].frames.front().function, "plumbdemo::leaky_function(int)");
  EXPECT_EQ(report.findings[1].status, FindingStatus::Suppressed);
  EXPECT_EQ(report.findings[1].suppression, "widget");
  EXPECT_EQ(exit_code(report), core::kExitGateFailed);

  in.today = "2025-06-14";  // The expiry day itself: still valid.
  const auto before = analyze(two_tools(), in);
  EXPECT_EQ(before.verdict, core::Verdict::Pass);
  EXPECT_EQ(exit_code(before), core::kExitPass);
}

TEST(Analyze, BaselineAcceptsKnownFingerprints) {
  const auto first = analyze(two_tools(), inputs());
  auto in = inputs();
  for (const auto& finding : first.findings) {
    in.baseline.fingerprints.insert(finding.fingerprint);
  }
  const auto second = analyze(two_tools(), in);
  for (const auto& finding : second.findings) {
    EXPECT_EQ(finding.status, FindingStatus::Baseline);
  }
  EXPECT_EQ(second.verdict, core::Verdict::Pass);
}

TEST(Analyze, ToolRunWithoutParseableOutputIsIncomplete) {
  auto silent = outcome("memcheck", "memcheck", {});
  silent.logs.clear();
  auto unrecognised = outcome("tsan", "tsan", {});
  unrecognised.logs[0].result.recognised = false;
  auto native = outcome("native", "native", {});
  native.logs.clear();
  native.expects_output = false;
  native.exit_code_only = true;
  auto no_evidence = outcome("native-bare", "native", {});
  no_evidence.logs.clear();
  no_evidence.expects_output = false;
  const auto report = analyze({silent, unrecognised, native, no_evidence}, inputs());
  EXPECT_EQ(report.variants[0].status, VariantStatus::Incomplete);
  ASSERT_EQ(report.variants[0].errors.size(), 1u);
  EXPECT_EQ(report.variants[0].errors[0], "no parseable memcheck output");
  EXPECT_EQ(report.variants[1].status, VariantStatus::Incomplete);
  ASSERT_EQ(report.variants[1].errors.size(), 1u);
  EXPECT_NE(report.variants[1].errors[0].find("is not tsan output"), std::string::npos);
  EXPECT_EQ(report.variants[0].verdict, core::Verdict::Error);
  EXPECT_EQ(report.variants[2].verdict, core::Verdict::Pass);
  // A native run with no samples has no evidence unless it says its exit code is enough.
  EXPECT_EQ(report.variants[3].verdict, core::Verdict::Error);
  EXPECT_EQ(report.variants[2].status, VariantStatus::Ok);
  EXPECT_EQ(exit_code(report), core::kExitInfrastructure);
}

TEST(Analyze, CutOffLogKeepsItsFindingsAndMarksTheVariantIncomplete) {
  const auto report = analyze(
      {outcome("memcheck", "memcheck", {leak(testdata::memcheck_malloc_leak(), 24)}, false)}, inputs());
  EXPECT_EQ(report.variants[0].status, VariantStatus::Incomplete);
  EXPECT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(exit_code(report), core::kExitInfrastructure);
}

TEST(Analyze, ToolKilledMidRunIsIncompleteEvenThoughItsProcessDiedByASignal) {
  auto killed = outcome("memcheck", "memcheck", {leak(testdata::memcheck_malloc_leak(), 24)}, false);
  killed.result.status = VariantStatus::Crashed;
  const auto report = analyze({killed}, inputs());
  EXPECT_EQ(report.variants[0].status, VariantStatus::Incomplete);
  EXPECT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.verdict, core::Verdict::Error);
  ASSERT_EQ(report.variants[0].errors.size(), 1u);
  EXPECT_NE(report.variants[0].errors[0].find("is incomplete"), std::string::npos);
  EXPECT_EQ(exit_code(report), core::kExitInfrastructure);
}

TEST(Analyze, TimeoutStaysTimeout) {
  auto hung = outcome("memcheck", "memcheck", {});
  hung.logs.clear();
  hung.result.status = VariantStatus::Timeout;
  const auto report = analyze({hung}, inputs());
  EXPECT_EQ(report.variants[0].status, VariantStatus::Timeout);
  EXPECT_EQ(exit_code(report), core::kExitInfrastructure);
}

// plumb's own kill makes memcheck report a fatal SIGTERM and every block still held: none of that
// is a finding (it would gate, and go into a baseline); a memory error seen before stays one.
TEST(Analyze, ReportsSetOffByPlumbsOwnKillAreNotFindings) {
  auto hung = outcome("memcheck", "memcheck",
                      {leak({{"parse(char const*)", "", 0, ""}}, 0, FindingKind::Crash),
                       leak({{"worker()", "", 0, ""}}, 64, FindingKind::LeakPossible),
                       leak({{"cache()", "", 0, ""}}, 16, FindingKind::LeakDefinite),
                       leak({{"read()", "", 0, ""}}, 0, FindingKind::MemoryError)});
  hung.result.status = VariantStatus::Timeout;
  hung.killed_by_plumb = true;
  const auto report = analyze({hung}, inputs());
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].kind, FindingKind::MemoryError);
  EXPECT_NE(
      report.variants[0].note.find("3 crash, leak, thread-leak and fd reports made when plumb killed it"),
      std::string::npos)
      << report.variants[0].note;
  EXPECT_EQ(report.variants[0].status, VariantStatus::Timeout);
  EXPECT_EQ(exit_code(report), core::kExitInfrastructure);
}

// libexpat's runtests under memcheck, killed at its 38-minute limit: valgrind, given SIGTERM, was
// still writing the leak check of a large heap when SIGKILL followed, and its XML is cut. The
// run is an error because it timed out; the reason says so (with the timeout's note: its native
// time, how to run it alone or leave it out), not that a log is incomplete.
TEST(Analyze, ALogCutByPlumbsKillAtATimeoutLeavesTheTimeoutAsTheReason) {
  auto hung =
      outcome("memcheck-slow/runtests", "memcheck", {leak(testdata::memcheck_malloc_leak(), 24)}, false);
  hung.result.status = VariantStatus::Timeout;
  hung.result.note = "timed out under memcheck after 38m00s; it takes 29.7s natively";
  hung.killed_by_plumb = true;
  const auto report = analyze({hung}, inputs());
  EXPECT_EQ(report.variants[0].status, VariantStatus::Timeout);
  EXPECT_TRUE(report.variants[0].errors.empty());
  EXPECT_NE(report.variants[0].note.find("was cut off when plumb killed the run"), std::string::npos)
      << report.variants[0].note;
  ASSERT_EQ(report.reasons.size(), 1u);
  EXPECT_EQ(
      report.reasons[0].text.rfind("variant memcheck-slow/runtests timeout: timed out under memcheck after "
                                   "38m00s; it takes 29.7s natively",
                                   0),
      0u)
      << report.reasons[0].text;
  EXPECT_EQ(exit_code(report), core::kExitInfrastructure);
  // A log cut without plumb's kill is still an error of its own.
  auto cut =
      outcome("memcheck-slow/runtests", "memcheck", {leak(testdata::memcheck_malloc_leak(), 24)}, false);
  cut.result.status = VariantStatus::Timeout;
  EXPECT_FALSE(analyze({cut}, inputs()).variants[0].errors.empty());
}

// libexpat's runtests under ASan, killed at its 5-minute limit: ASan writes its log at exit, so
// there is none; that is the kill's doing, and the timeout is the reason.
TEST(Analyze, NoOutputFromARunPlumbKilledAtItsTimeoutLeavesTheTimeoutAsTheReason) {
  auto hung = outcome("asan/runtests", "asan", {});
  hung.logs.clear();
  hung.result.status = VariantStatus::Timeout;
  hung.result.note = "timed out under asan after 5m00s";
  hung.killed_by_plumb = true;
  const auto report = analyze({hung}, inputs());
  EXPECT_TRUE(report.variants[0].errors.empty());
  ASSERT_EQ(report.reasons.size(), 1u);
  EXPECT_EQ(
      report.reasons[0].text.rfind("variant asan/runtests timeout: timed out under asan after 5m00s", 0), 0u)
      << report.reasons[0].text;
  EXPECT_EQ(exit_code(report), core::kExitInfrastructure);
}

TEST(Analyze, ACrashTheToolReportedIsAFindingNotAnInfrastructureFailure) {
  auto crashed =
      outcome("memcheck", "memcheck", {leak({{"parse(char const*)", "", 0, ""}}, 0, FindingKind::Crash)});
  crashed.result.status = VariantStatus::Crashed;
  auto report = analyze({crashed}, inputs());
  EXPECT_EQ(report.variants[0].status, VariantStatus::Failed);
  EXPECT_EQ(exit_code(report), core::kExitGateFailed);

  auto unexplained = outcome("memcheck", "memcheck", {});
  unexplained.result.status = VariantStatus::Crashed;
  report = analyze({unexplained}, inputs());
  EXPECT_EQ(report.variants[0].status, VariantStatus::Crashed);
  EXPECT_EQ(exit_code(report), core::kExitInfrastructure);
}

TEST(Analyze, CanaryMustFindALeakAndItsFindingsDoNotGate) {
  auto alive = outcome("memcheck-canary", "memcheck", {leak(testdata::memcheck_malloc_leak(), 24)});
  alive.result.canary = true;
  auto report = analyze({alive}, inputs());
  EXPECT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.verdict, core::Verdict::Pass);
  EXPECT_EQ(report.findings[0].disposition, core::Disposition::CanaryExpected);
  EXPECT_EQ(report.variants[0].caught.size(), 1u);
  EXPECT_EQ(exit_code(report), core::kExitPass);

  auto silent = outcome("memcheck-canary", "memcheck", {});
  silent.result.canary = true;
  report = analyze({silent}, inputs());
  ASSERT_FALSE(report.reasons.empty());
  EXPECT_NE(report.reasons[0].text.find("canary stayed silent"), std::string::npos);
  EXPECT_EQ(exit_code(report), core::kExitInfrastructure);

  auto wrong_kind = outcome("tsan-canary", "tsan", {leak({{"f", "", 0, ""}}, 0, FindingKind::Race)});
  wrong_kind.result.canary = true;
  EXPECT_EQ(exit_code(analyze({wrong_kind}, inputs())), core::kExitInfrastructure);
}

TEST(Analyze, FailingGrowthSeriesBecomesAHeapGrowthFinding) {
  auto samples = outcome("harness", "samples", {});
  core::GrowthSeries rising;
  rising.metric = "heap";
  rising.unit = "bytes";
  rising.slope_per_iteration = 512;
  rising.threshold = 64;
  rising.verdict = core::GrowthVerdict::Fail;
  rising.sites = {{"Cache::insert(Key)", "cache.cpp", 40, 2.0, 100},
                  {"Listeners::add(F)", "l.cpp", 9, 500.0, 9000}};
  core::GrowthSeries flat = rising;
  flat.metric = "rss";
  flat.verdict = core::GrowthVerdict::Ok;
  samples.logs[0].result.growth = {rising, flat};
  const auto report = analyze({samples}, inputs());
  ASSERT_EQ(report.growth.size(), 2u);
  EXPECT_EQ(report.growth[0].variant, "harness");
  ASSERT_EQ(report.findings.size(), 1u);
  const auto& finding = report.findings[0];
  EXPECT_EQ(finding.kind, FindingKind::HeapGrowth);
  EXPECT_EQ(finding.detail, "heap");
  EXPECT_EQ(finding.frames.front().function, "Listeners::add(F)") << "fastest-growing site first";
  EXPECT_NE(finding.message.find("grows by 512 bytes per iteration"), std::string::npos) << finding.message;
  EXPECT_EQ(exit_code(report), core::kExitGateFailed);

  // massif's series count snapshots: its finding says so, not "per iteration".
  auto massif = samples;
  massif.logs[0].result.growth[0].axis = core::GrowthAxis::Snapshot;
  const auto massif_report = analyze({massif}, inputs());
  ASSERT_EQ(massif_report.findings.size(), 1u);
  EXPECT_NE(massif_report.findings[0].message.find("grows by 512 bytes per snapshot"), std::string::npos)
      << massif_report.findings[0].message;

  // A parser that already made the heap.growth finding is not doubled.
  auto both = samples;
  core::Finding parsed;
  parsed.kind = FindingKind::HeapGrowth;
  parsed.detail = "heap";
  parsed.metric = "heap";
  both.logs[0].result.findings = {parsed};
  EXPECT_EQ(analyze({both}, inputs()).findings.size(), 1u);

  // A failing threads series is one thread.leak named by its metric, never also a heap.growth; a
  // parser's own thread.leak for it (the samples parser makes one) is not doubled either.
  auto threads = samples;
  threads.logs[0].result.growth[0].metric = "threads";
  threads.logs[0].result.growth[0].sites.clear();
  const auto thread_report = analyze({threads}, inputs());
  ASSERT_EQ(thread_report.findings.size(), 1u);
  EXPECT_EQ(thread_report.findings[0].kind, FindingKind::ThreadLeak);
  EXPECT_EQ(thread_report.findings[0].metric, "threads");
  ASSERT_FALSE(thread_report.reasons.empty());
  EXPECT_NE(thread_report.reasons.back().text.find("thread.leak of threads"), std::string::npos)
      << thread_report.reasons.back().text;
  core::Finding parsed_thread;
  parsed_thread.kind = FindingKind::ThreadLeak;
  parsed_thread.detail = "threads";
  parsed_thread.metric = "threads";
  threads.logs[0].result.findings = {parsed_thread};
  EXPECT_EQ(analyze({threads}, inputs()).findings.size(), 1u);
}

TEST(Analyze, AThreadSeriesGrowingWhereTsanReportedTheLeakedThreadIsOneFindingLinkedToTsans) {
  // The TSan canary: TSan reports the unjoined thread with its stack, and the harness's samples in
  // the same run say the thread count grows. One defect: TSan's finding, the series linked to it.
  core::Finding leaked;
  leaked.kind = FindingKind::ThreadLeak;
  leaked.detail = "thread leak";
  leaked.frames = {{"plant_unjoined_thread", "harness/src/defects.cpp", 40, ""}, {"main", "main.cpp", 9, ""}};
  auto run = outcome("tsan", "tsan", {leaked});
  core::ParsedLog samples;
  samples.path = "tsan/samples.jsonl";
  samples.format = core::LogFormat::Samples;
  samples.reporter = core::Reporter::Samples;
  samples.result.recognised = true;
  core::GrowthSeries threads;
  threads.metric = "threads";
  threads.unit = "count";
  threads.slope_per_iteration = 1;
  threads.threshold = 0.01;
  threads.verdict = core::GrowthVerdict::Fail;
  samples.result.growth = {threads};
  run.logs.push_back(samples);
  const auto report = analyze({run}, inputs());
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].kind, FindingKind::ThreadLeak);
  EXPECT_TRUE(report.findings[0].metric.empty()) << "TSan's own finding, with its stack";
  ASSERT_EQ(report.growth.size(), 1u);
  EXPECT_EQ(report.growth[0].finding, report.findings[0].fingerprint);
  EXPECT_TRUE(report.growth[0].gating);
  EXPECT_EQ(report.sites.size(), 1u);

  // Without TSan's report the series is its own thread.leak, linked the same way.
  run.logs[0].result.findings.clear();
  const auto alone = analyze({run}, inputs());
  ASSERT_EQ(alone.findings.size(), 1u);
  EXPECT_EQ(alone.findings[0].metric, "threads");
  EXPECT_EQ(alone.growth[0].finding, alone.findings[0].fingerprint);
}

}  // namespace
}  // namespace plumb::analyze

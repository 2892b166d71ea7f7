// Every planted defect must trip the detector meant for it, and no other detector.
#include <gtest/gtest.h>

#include <valgrind/valgrind.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "memcheck_xml.hpp"
#include "scan_leak_runner.hpp"

namespace plumb::leak_test {
namespace {

// A test name from a case's --inject value ("leak-per-iter=8" -> "leak_per_iter_8").
template <typename Case>
std::string case_name(const ::testing::TestParamInfo<Case>& param_info) {
  std::string name = param_info.param.inject;
  std::replace_if(
      name.begin(), name.end(), [](char c) { return c == '-' || c == '='; }, '_');
  return name;
}

const std::set<std::string> kAllMetrics{"rss", "heap", "threads", "fds", "cache_bytes"};

// One defect and what the harness's own slopes must say about it in a plain build.
struct SlopeCase {
  std::string inject;
  std::set<std::string> must_fail;  // the detector meant for it
  std::set<std::string> must_pass;  // detectors that must stay silent
};

void PrintTo(const SlopeCase& c, std::ostream* os) {
  *os << c.inject;
}

// Leak reports and race reports are other detectors: a slope defect must not trigger them.
void expect_no_tool_report(const ScanLeakRun& run) {
  EXPECT_EQ(run.child.err.find("LeakSanitizer"), std::string::npos) << run.transcript();
  EXPECT_EQ(run.child.err.find("ThreadSanitizer"), std::string::npos) << run.transcript();
  EXPECT_EQ(run.child.err.find("AddressSanitizer"), std::string::npos) << run.transcript();
}

class SlopeDetector : public ::testing::TestWithParam<SlopeCase> {};

TEST_P(SlopeDetector, FiresOnItsDefectOnly) {
  if (kBuild == Build::Thread && GetParam().inject == "race")
    GTEST_SKIP() << "TSan reports the race (see TsanDetector)";
  if (kBuild == Build::Thread && GetParam().inject == "thread-unjoined") {
    GTEST_SKIP() << "TSan reports the thread leak (see TsanDetector)";
  }
  const bool leaks = GetParam().inject.rfind("leak-", 0) == 0;
  if (kBuild == Build::Address && leaks) GTEST_SKIP() << "LSan reports these leaks (see LsanDetector)";
  std::vector<std::string> args = short_workload();
  args.insert(args.end(), {"--inject", GetParam().inject});
  const ScanLeakRun run = run_scan_leak(args);

  ASSERT_TRUE(run.summary.has_value()) << run.transcript();
  EXPECT_EQ(run.child.exit_code, GetParam().must_fail.empty() ? 0 : 1) << run.transcript();
  EXPECT_EQ((*run.summary)["verdict"], GetParam().must_fail.empty() ? "ok" : "fail");
  for (const std::string& metric : GetParam().must_fail) {
    if (judged(metric)) {
      EXPECT_EQ(run.verdict_of(metric), "fail") << metric;
    }
  }
  for (const std::string& metric : GetParam().must_pass) {
    if (judged(metric)) {
      EXPECT_EQ(run.verdict_of(metric), "ok") << metric;
    }
  }
  expect_no_tool_report(run);
}

// Memory that stays reachable (listeners, closures, cache entries, thread stacks) is also heap
// and RSS growth, so those two may fire alongside the detector meant for the defect; the detectors
// of other kinds (threads, fds, cache bytes, leak and race reports) must not.
INSTANTIATE_TEST_SUITE_P(
    ScanLeak, SlopeDetector,
    ::testing::Values(SlopeCase{"leak-per-iter=1024", {"heap", "rss"}, {"threads", "fds", "cache_bytes"}},
                      SlopeCase{"leak-per-iter=8", {"heap"}, {"rss", "threads", "fds", "cache_bytes"}},
                      SlopeCase{"listener-accumulation", {"heap"}, {"threads", "fds", "cache_bytes"}},
                      SlopeCase{"closure-holds-input", {"heap"}, {"threads", "fds", "cache_bytes"}},
                      SlopeCase{"cache-unbounded", {"cache_bytes"}, {"threads", "fds"}},
                      SlopeCase{"thread-unjoined", {"threads"}, {"fds", "cache_bytes"}},
                      // One-off leaks and races do not grow: only memcheck, LSan and TSan find them.
                      SlopeCase{"leak-direct", {}, kAllMetrics}, SlopeCase{"leak-indirect", {}, kAllMetrics},
                      SlopeCase{"race", {}, kAllMetrics}),
    case_name<SlopeCase>);

// ---- LeakSanitizer (ASan build) ----

struct LsanCase {
  std::string inject;
  std::string function;   // must appear in the report's stacks
  bool direct = true;     // a "Direct leak" line is expected
  bool indirect = false;  // an "Indirect leak" line is expected
};

void PrintTo(const LsanCase& c, std::ostream* os) {
  *os << c.inject;
}

class LsanDetector : public ::testing::TestWithParam<LsanCase> {};

TEST_P(LsanDetector, ReportsThePlantedLeak) {
  if (kBuild != Build::Address) GTEST_SKIP() << "needs the ASan build (PLUMB_SANITIZER=address)";
  std::vector<std::string> args = short_workload();
  args.insert(args.end(), {"--inject", GetParam().inject});
  const ScanLeakRun run = run_scan_leak(args);
  EXPECT_EQ(run.child.exit_code, kSanitizerExitCode) << run.transcript();
  EXPECT_NE(run.child.err.find("ERROR: LeakSanitizer: detected memory leaks"), std::string::npos)
      << run.transcript();
  EXPECT_NE(run.child.err.find(GetParam().function), std::string::npos) << run.transcript();
  EXPECT_EQ(run.child.err.find("Direct leak") != std::string::npos, GetParam().direct) << run.transcript();
  EXPECT_EQ(run.child.err.find("Indirect leak") != std::string::npos, GetParam().indirect)
      << run.transcript();
  EXPECT_EQ(run.child.err.find("ERROR: AddressSanitizer"), std::string::npos) << run.transcript();
  // The recoverable leak checks at each sample ran before the one at exit.
  EXPECT_GT(std::count(run.child.err.begin(), run.child.err.end(), '\n'), 5);
}

INSTANTIATE_TEST_SUITE_P(ScanLeak, LsanDetector,
                         ::testing::Values(LsanCase{"leak-direct", "plant_direct_leak", true, false},
                                           LsanCase{"leak-indirect", "plant_indirect_leak", true, true},
                                           LsanCase{"leak-per-iter=64", "plant_per_iteration_leak", true,
                                                    false}),
                         case_name<LsanCase>);

TEST(LsanDetector, PerIterationLeakReportsEveryBlock) {
  if (kBuild != Build::Address) GTEST_SKIP() << "needs the ASan build (PLUMB_SANITIZER=address)";
  const ScanLeakRun run =
      run_scan_leak({"--announcements", "20", "--iterations", "40", "--inject", "leak-per-iter=64"});
  // 40 iterations x 64 bytes, grouped by stack into one report.
  EXPECT_NE(run.child.err.find("Direct leak of 2560 byte(s) in 40 object(s)"), std::string::npos)
      << run.transcript();
}

// ---- ThreadSanitizer (TSan build) ----

struct TsanCase {
  std::string inject;
  std::string expected;   // the report TSan must print
  std::string function;   // a planted function in its stacks
  std::string forbidden;  // a report it must not print
};

void PrintTo(const TsanCase& c, std::ostream* os) {
  *os << c.inject;
}

class TsanDetector : public ::testing::TestWithParam<TsanCase> {};

TEST_P(TsanDetector, ReportsThePlantedDefectOnly) {
  if (kBuild != Build::Thread) GTEST_SKIP() << "needs the TSan build (PLUMB_SANITIZER=thread)";
  const ScanLeakRun run = run_scan_leak(
      {"--announcements", "30", "--iterations", "30", "--threads", "2", "--inject", GetParam().inject});
  EXPECT_EQ(run.child.exit_code, kTsanExitCode) << run.transcript();
  EXPECT_NE(run.child.err.find(GetParam().expected), std::string::npos) << run.transcript();
  EXPECT_NE(run.child.err.find(GetParam().function), std::string::npos) << run.transcript();
  EXPECT_EQ(run.child.err.find(GetParam().forbidden), std::string::npos) << run.transcript();
}

INSTANTIATE_TEST_SUITE_P(ScanLeak, TsanDetector,
                         ::testing::Values(TsanCase{"race", "WARNING: ThreadSanitizer: data race",
                                                    "plant_data_race", "ThreadSanitizer: thread leak"},
                                           TsanCase{"thread-unjoined",
                                                    "WARNING: ThreadSanitizer: thread leak",
                                                    "plant_unjoined_thread", "ThreadSanitizer: data race"}),
                         case_name<TsanCase>);

// ---- Valgrind (plain build, valgrind on PATH, not already under valgrind) ----

std::string valgrind_or_skip_reason(std::string& reason) {
  if (kBuild != Build::Plain) {
    reason = "memcheck runs on the plain build";
    return {};
  }
  if (RUNNING_ON_VALGRIND) {
    reason = "already under valgrind: nesting is not supported";
    return {};
  }
  const std::string valgrind = SCAN_LEAK_VALGRIND;
  if (valgrind.empty() || !std::filesystem::exists(valgrind)) {
    reason = "valgrind not installed";
    return {};
  }
  return valgrind;
}

// Valgrind 3.19 cannot read the DWARF 5 that clang 14 emits by default: it gives up before the
// program starts. That says nothing about the harness, so such runs are skipped, loudly.
bool valgrind_gave_up(const ScanLeakRun& run) {
  return run.child.err.find("debuginfo reader") != std::string::npos &&
         run.child.err.find("Giving up") != std::string::npos;
}

#define SKIP_IF_VALGRIND_GAVE_UP(run)                                                                \
  do {                                                                                               \
    if (valgrind_gave_up(run)) {                                                                     \
      GTEST_SKIP()                                                                                   \
          << "valgrind cannot read this binary's debug info (DWARF 5 from clang 14? use -gdwarf-4)"; \
    }                                                                                                \
  } while (false)

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs a short workload under memcheck with XML output; returns the errors it reported.
std::vector<MemcheckError> run_under_memcheck(const std::string& valgrind, const std::string& inject,
                                              ScanLeakRun& run, const TempDir& dir) {
  const std::string xml = dir.path() + "/memcheck.xml";
  run = run_scan_leak(
      {"--announcements", "10", "--iterations", "12", "--inject", inject, "--samples",
       dir.path() + "/samples.jsonl"},
      {valgrind, "--tool=memcheck", "--leak-check=full", "--show-leak-kinds=definite,indirect,possible",
       "--errors-for-leak-kinds=definite,indirect,possible", "--xml=yes", "--xml-file=" + xml});
  return memcheck_errors(read_text(xml));
}

TEST(MemcheckDetector, CleanHarnessHasNoErrors) {
  std::string reason;
  const std::string valgrind = valgrind_or_skip_reason(reason);
  if (valgrind.empty()) GTEST_SKIP() << reason;
  const TempDir dir;
  ScanLeakRun run;
  const auto errors = run_under_memcheck(valgrind, "none", run, dir);
  SKIP_IF_VALGRIND_GAVE_UP(run);
  EXPECT_EQ(run.child.exit_code, 0) << run.transcript();
  for (const auto& error : errors)
    ADD_FAILURE() << error.kind << " in " << (error.functions.empty() ? "?" : error.functions[0]);
  // Under memcheck the live heap comes from its leak search at each sample.
  const std::string samples = read_text(dir.path() + "/samples.jsonl");
  EXPECT_NE(samples.find("\"heap_source\":\"memcheck\""), std::string::npos);
  EXPECT_EQ(samples.find("\"heap\":null"), std::string::npos);
}

TEST(MemcheckDetector, DirectLeakIsDefinitelyLostInPlantDirectLeak) {
  std::string reason;
  const std::string valgrind = valgrind_or_skip_reason(reason);
  if (valgrind.empty()) GTEST_SKIP() << reason;
  const TempDir dir;
  ScanLeakRun run;
  const auto errors = run_under_memcheck(valgrind, "leak-direct", run, dir);
  SKIP_IF_VALGRIND_GAVE_UP(run);
  EXPECT_EQ(run.child.exit_code, 0) << run.transcript();
  ASSERT_FALSE(errors.empty()) << run.transcript();
  for (const auto& error : errors) {
    EXPECT_EQ(error.kind, "Leak_DefinitelyLost");
    ASSERT_FALSE(error.functions.empty());
    EXPECT_TRUE(mentions(error, "plant_direct_leak")) << error.functions[0];
  }
}

TEST(MemcheckDetector, IndirectLeakHasADefiniteOwnerAndIndirectBuffers) {
  std::string reason;
  const std::string valgrind = valgrind_or_skip_reason(reason);
  if (valgrind.empty()) GTEST_SKIP() << reason;
  const TempDir dir;
  ScanLeakRun run;
  const auto errors = run_under_memcheck(valgrind, "leak-indirect", run, dir);
  SKIP_IF_VALGRIND_GAVE_UP(run);
  EXPECT_EQ(run.child.exit_code, 0) << run.transcript();
  std::set<std::string> kinds;
  for (const auto& error : errors) {
    kinds.insert(error.kind);
    EXPECT_TRUE(mentions(error, "plant_indirect_leak")) << error.kind;
  }
  EXPECT_EQ(kinds, (std::set<std::string>{"Leak_DefinitelyLost", "Leak_IndirectlyLost"})) << run.transcript();
}

TEST(MassifSnapshots, NumberedSnapshotsMeasureHeapGrowth) {
  std::string reason;
  const std::string valgrind = valgrind_or_skip_reason(reason);
  if (valgrind.empty()) GTEST_SKIP() << reason;
  const TempDir dir;
  const std::string snapshots = dir.path() + "/snapshots";
  const ScanLeakRun run =
      run_scan_leak({"--announcements", "12", "--iterations", "40", "--sample-every", "4", "--inject",
                     "leak-per-iter=1024", "--snapshot-dir", snapshots},
                    {valgrind, "--tool=massif", "--massif-out-file=" + dir.path() + "/massif.out"});
  SKIP_IF_VALGRIND_GAVE_UP(run);
  ASSERT_TRUE(run.summary.has_value()) << run.transcript();
  EXPECT_EQ(run.child.exit_code, 1) << run.transcript();
  EXPECT_EQ(run.verdict_of("heap"), "fail") << run.transcript();
  EXPECT_EQ(run.verdict_of("threads"), "ok");
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(snapshots)) {
    EXPECT_EQ(entry.path().filename().string().rfind("massif.", 0), 0u);
    ++files;
  }
  EXPECT_EQ(files, 11u);  // iteration 0, 4, ..., 40
}

}  // namespace
}  // namespace plumb::leak_test

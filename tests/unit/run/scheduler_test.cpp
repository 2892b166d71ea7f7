// The scheduler against a scripted fake runner: parallelism, timeouts, missing logs, stops.
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fake_runner.hpp"
#include "plumb/run/scheduler.hpp"

namespace plumb::run {
namespace {

using namespace std::chrono_literals;

FakeBehaviour lasting(std::chrono::milliseconds duration) {
  FakeBehaviour behaviour;
  behaviour.duration = duration;
  return behaviour;
}

class SchedulerTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("plumb-sched-" + std::to_string(::getpid()) + "-" +
            testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    options_.report_dir = dir_;
    options_.progress = &progress_;
    options_.kill_grace = 50ms;
    options_.poll_interval = 2ms;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // A run named `name` whose argv[0] is `name`, optionally requiring a memcheck log.
  PlannedRun plan(const std::string& name, bool requires_log = false, double timeout_s = 0) {
    PlannedRun run;
    run.name = name;
    run.tool = requires_log ? core::Tool::Memcheck : core::Tool::Native;
    run.out_dir = dir_ / name;
    run.spec.argv = {name};
    run.timeout_s = timeout_s;
    if (requires_log) {
      run.logs.push_back(LogSpec{"memcheck.", ".xml", core::LogFormat::Memcheck, true, false, ""});
    }
    run.logs.push_back(LogSpec{"stdout.log", "", std::nullopt, false, false, ""});
    return run;
  }

  std::filesystem::path dir_;
  std::ostringstream progress_;
  SchedulerOptions options_;
};

// A run that ended frees its slot for the next at once: the scheduler waits for a change only
// when nothing ended (the fake's wait sleeps its whole limit, so one wait per run would take 2 min).
TEST_F(SchedulerTest, TheNextRunStartsAsSoonAsASlotIsFreedNotAfterAWait) {
  FakeRunner runner([](const ProcessSpec&) { return lasting(0ms); });
  options_.poll_interval = 30s;
  std::vector<PlannedRun> plans;
  for (const char* name : {"a", "b", "c", "d"}) {
    plans.push_back(plan(name));
  }
  const auto start = std::chrono::steady_clock::now();
  const auto results = run_variants(runner, plans, options_);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 20s);
  ASSERT_EQ(results.size(), 4U);
  for (const FinishedRun& run : results) {
    EXPECT_EQ(run.result.status, core::VariantStatus::Ok) << run.result.name;
  }
}

TEST_F(SchedulerTest, NeverRunsMoreThanJobsAtOnceAndKeepsPlanOrder) {
  FakeRunner runner([](const ProcessSpec&) { return lasting(30ms); });
  std::vector<PlannedRun> plans;
  for (int i = 0; i < 5; ++i) {
    plans.push_back(plan("v" + std::to_string(i)));
  }
  options_.jobs = 2;
  const std::vector<FinishedRun> results = run_variants(runner, plans, options_);
  EXPECT_EQ(runner.max_concurrent(), 2);
  ASSERT_EQ(results.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(results[i].result.name, "v" + std::to_string(i));
    EXPECT_EQ(results[i].result.status, core::VariantStatus::Ok);
    EXPECT_EQ(results[i].result.exit_code, 0);
    EXPECT_GE(results[i].result.duration_s, 0.025);
  }
  EXPECT_NE(progress_.str().find("plumb: [5/5] v4 finished: ok in "), std::string::npos) << progress_.str();
}

TEST_F(SchedulerTest, ParallelRunsOverlap) {
  FakeRunner runner([](const ProcessSpec&) { return lasting(400ms); });
  options_.jobs = 3;
  const auto start = std::chrono::steady_clock::now();
  run_variants(runner, {plan("a"), plan("b"), plan("c")}, options_);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1100ms);  // One after the other would take 1200 ms.
  EXPECT_EQ(runner.max_concurrent(), 3);
}

TEST_F(SchedulerTest, TimeoutsThatFallTogetherAreEnforcedTogether) {
  FakeRunner runner([](const ProcessSpec&) {
    FakeBehaviour behaviour;
    behaviour.hangs = true;
    behaviour.ignores_sigterm = true;
    return behaviour;
  });
  options_.jobs = 2;
  options_.kill_grace = 400ms;
  const auto start = std::chrono::steady_clock::now();
  const auto results = run_variants(runner, {plan("a", false, 0.1), plan("b", false, 0.1)}, options_);
  // Each at its deadline plus one grace (0.5 s); one after the other, the second ended at 0.9 s.
  EXPECT_LT(std::chrono::steady_clock::now() - start, 750ms);
  for (const FinishedRun& result : results) {
    EXPECT_EQ(result.result.status, core::VariantStatus::Timeout);
    EXPECT_LT(result.result.duration_s, 0.75);
    EXPECT_GE(result.result.duration_s, 0.5);
  }
}

// valgrind checks for leaks and writes the end of its XML after SIGTERM: a run it timed out gets
// the tool's grace, not plumb's short default, so its log is whole; a sanitizer's run does not wait.
TEST_F(SchedulerTest, AValgrindRunTimedOutIsGivenTimeToFinishItsLog) {
  FakeRunner runner([this](const ProcessSpec& spec) {
    FakeBehaviour behaviour;
    behaviour.hangs = true;
    behaviour.after_sigterm = 600ms;
    behaviour.files[(dir_ / spec.argv[0] / "memcheck.1.xml").string()] = "<valgrindoutput></valgrindoutput>";
    return behaviour;
  });
  options_.jobs = 2;
  options_.kill_grace = 100ms;
  PlannedRun memcheck = plan("memcheck", true, 0.1);
  PlannedRun asan = plan("asan", false, 0.1);
  asan.tool = core::Tool::Asan;
  const auto results = run_variants(runner, {memcheck, asan}, options_);
  EXPECT_EQ(results[0].result.status, core::VariantStatus::Timeout);
  EXPECT_GE(results[0].result.duration_s, 0.65);  // the deadline, then the 600 ms the log took
  EXPECT_TRUE(std::filesystem::exists(dir_ / "memcheck" / "memcheck.1.xml"));
  EXPECT_TRUE(results[0].missing.empty()) << results[0].missing.front();
  EXPECT_EQ(results[1].result.status, core::VariantStatus::Timeout);
  EXPECT_LT(results[1].result.duration_s, 0.6);  // SIGKILL one 100 ms grace after the deadline
  EXPECT_FALSE(std::filesystem::exists(dir_ / "asan" / "memcheck.1.xml"));
  // SIGTERM to both, SIGKILL only to the one that would not end in its grace (and the group
  // kill every settled run gets).
  EXPECT_EQ(std::count(runner.signals_sent().begin(), runner.signals_sent().end(), SIGTERM), 2);
}

TEST_F(SchedulerTest, ProgressLinesShowControlCharactersEscaped) {
  FakeRunner runner([](const ProcessSpec&) { return lasting(1ms); });
  PlannedRun run = plan("suite");
  run.name = "suite/evil\x1b[2J\nverdict: PASS";
  run_variants(runner, {run}, options_);
  EXPECT_EQ(progress_.str().find('\x1b'), std::string::npos) << progress_.str();
  EXPECT_EQ(progress_.str().find("\nverdict: PASS"), std::string::npos) << progress_.str();
  EXPECT_NE(progress_.str().find("suite/evil\\x1b[2J\\nverdict: PASS started"), std::string::npos)
      << progress_.str();
}

TEST_F(SchedulerTest, TimeoutKillsTheGroupAndMarksTheVariant) {
  FakeRunner runner([](const ProcessSpec& spec) {
    FakeBehaviour behaviour = lasting(5ms);
    behaviour.hangs = spec.argv[0] == "hang";
    behaviour.ignores_sigterm = true;
    return behaviour;
  });
  options_.jobs = 2;
  const auto results =
      run_variants(runner, {plan("hang", false, 0.05), plan("quick", false, 0.05)}, options_);
  EXPECT_EQ(results[0].result.status, core::VariantStatus::Timeout);
  EXPECT_FALSE(results[0].result.exit_code.has_value());
  EXPECT_NE(results[0].result.note.find("timeout"), std::string::npos);
  EXPECT_EQ(results[1].result.status, core::VariantStatus::Ok);
  // SIGTERM first, SIGKILL after the grace period (also sent to the quick run's leftovers).
  ASSERT_GE(runner.signals_sent().size(), 2u);
  EXPECT_NE(std::find(runner.signals_sent().begin(), runner.signals_sent().end(), SIGTERM),
            runner.signals_sent().end());
  EXPECT_NE(progress_.str().find("hang timed out"), std::string::npos);
}

TEST_F(SchedulerTest, MissingRequiredLogIsListedForAnalysis) {
  const std::filesystem::path log = dir_ / "wrote" / "memcheck.12.xml";
  FakeRunner runner([&](const ProcessSpec& spec) {
    FakeBehaviour behaviour = lasting(1ms);
    if (spec.argv[0] == "wrote") {
      behaviour.files[log.string()] = "<valgrindoutput/>";
    }
    return behaviour;
  });
  const auto results = run_variants(runner, {plan("silent", true), plan("wrote", true)}, options_);
  EXPECT_EQ(results[0].result.status, core::VariantStatus::Ok);  // The process's own status.
  ASSERT_EQ(results[0].missing.size(), 1u);
  EXPECT_NE(results[0].missing[0].find("no memcheck output (memcheck.*.xml)"), std::string::npos)
      << results[0].result.note;
  EXPECT_TRUE(results[0].expects_output);
  EXPECT_EQ(results[1].result.status, core::VariantStatus::Ok);
  ASSERT_EQ(results[1].logs.size(), 1u);
  EXPECT_EQ(results[1].logs[0].format, core::LogFormat::Memcheck);
  EXPECT_EQ(results[1].logs[0].path, log);
  EXPECT_EQ(results[1].result.logs, std::vector<std::string>{"wrote/memcheck.12.xml"});
}

TEST_F(SchedulerTest, ExitCodesSignalsAndStartFailures) {
  FakeRunner runner([](const ProcessSpec& spec) {
    FakeBehaviour behaviour = lasting(1ms);
    if (spec.argv[0] == "fails") {
      behaviour.exit_code = 23;
    } else if (spec.argv[0] == "segv") {
      behaviour.signal = SIGSEGV;
    } else if (spec.argv[0] == "missing") {
      behaviour.fails_to_start = true;
    }
    return behaviour;
  });
  auto missing = plan("missing", true);
  missing.logs.front().missing = "valgrind wrote no memcheck XML: it did not start (see stderr.log)";
  const auto results = run_variants(runner, {plan("fails"), plan("segv"), missing}, options_);
  EXPECT_EQ(results[0].result.status, core::VariantStatus::Failed);
  EXPECT_EQ(results[0].result.exit_code, 23);
  EXPECT_EQ(results[1].result.status, core::VariantStatus::Crashed);
  EXPECT_EQ(results[1].signal, SIGSEGV);
  EXPECT_FALSE(results[1].result.exit_code.has_value());
  EXPECT_EQ(results[2].result.status, core::VariantStatus::Incomplete);
  EXPECT_NE(results[2].result.note.find("program not found"), std::string::npos);
  // Its log is missing because it never started: the error says that, not the tool's usual hint
  // (which points at a stderr.log a run that never started does not have).
  ASSERT_EQ(results[2].missing.size(), 1U);
  EXPECT_NE(results[2].missing[0].find("was written: it could not start: "), std::string::npos)
      << results[2].missing[0];
  EXPECT_NE(results[2].missing[0].find("program not found"), std::string::npos) << results[2].missing[0];
  EXPECT_EQ(results[2].missing[0].find("see stderr.log"), std::string::npos) << results[2].missing[0];
}

TEST_F(SchedulerTest, StopKillsRunningAndSkipsTheRest) {
  FakeRunner runner([](const ProcessSpec&) {
    FakeBehaviour behaviour;
    behaviour.hangs = true;
    return behaviour;
  });
  int polls = 0;
  options_.stop_requested = [&] { return ++polls > 20; };
  options_.jobs = 1;
  const auto results = run_variants(runner, {plan("first", true), plan("second")}, options_);
  EXPECT_EQ(results[0].result.status, core::VariantStatus::Incomplete);
  EXPECT_NE(results[0].result.note.find("interrupted"), std::string::npos);
  // Only "interrupted": no log it was stopped before writing is given as a second cause.
  EXPECT_TRUE(results[0].missing.empty()) << results[0].missing.front();
  EXPECT_EQ(results[1].result.status, core::VariantStatus::Skipped);
  EXPECT_EQ(runner.started().size(), 1u);
}

TEST_F(SchedulerTest, ASlowRunIsExplainedAtHalfItsTimeoutAndWhenItTimesOut) {
  FakeRunner runner([](const ProcessSpec&) {
    FakeBehaviour behaviour;
    behaviour.hangs = true;
    return behaviour;
  });
  PlannedRun slow = plan("racy", true, 0.2);
  slow.tool = core::Tool::Tsan;
  const auto results = run_variants(runner, {slow}, options_);
  const std::string said = progress_.str();
  EXPECT_NE(said.find("racy has used half of its 0.2s timeout under tsan: TSan checks every memory access"),
            std::string::npos)
      << said;
  EXPECT_EQ(std::count(said.begin(), said.end(), '\n') >= 2, true);
  EXPECT_EQ(results[0].result.status, core::VariantStatus::Timeout);
  EXPECT_NE(results[0].result.note.find("many threads spinning on shared data"), std::string::npos)
      << results[0].result.note;
  EXPECT_NE(results[0].result.note.find("`plumb repro racy` prints its command"), std::string::npos);
}

TEST_F(SchedulerTest, ATimedOutCtestTestSaysHowToRunItAloneOrLeaveItOut) {
  FakeRunner runner([](const ProcessSpec&) {
    FakeBehaviour behaviour;
    behaviour.hangs = true;
    return behaviour;
  });
  PlannedRun slow = plan("memcheck", true, 0.05);
  slow.name = "memcheck/run.tests";
  slow.suite = "memcheck";
  slow.test = "run.tests";
  const auto results = run_variants(runner, {slow}, options_);
  ASSERT_EQ(results[0].result.status, core::VariantStatus::Timeout);
  const std::string& note = results[0].result.note;
  EXPECT_NE(note.find("timed out under memcheck after 0.05s"), std::string::npos) << note;
  EXPECT_NE(note.find("Run it alone: `plumb run --variant memcheck --test run.tests`"), std::string::npos)
      << note;
  EXPECT_NE(note.find("leave it out: `plumb run --exclude-test '^run\\.tests$'`, or "
                      "`ctest = { exclude = '^run\\.tests$' }` in the variant"),
            std::string::npos)
      << note;
  // The decision is the model's: the account every report file reads.
  ASSERT_TRUE(results[0].result.timed_out.has_value());
  EXPECT_DOUBLE_EQ(results[0].result.timed_out->limit_s, 0.05);
  EXPECT_FALSE(results[0].result.timed_out->native_s.has_value());
  EXPECT_NE(note.find("its native time is not known"), std::string::npos) << note;
}

TEST_F(SchedulerTest, ATimedOutCtestTestWithAKnownNativeTimeSaysIt) {
  FakeRunner runner([](const ProcessSpec&) {
    FakeBehaviour behaviour;
    behaviour.hangs = true;
    return behaviour;
  });
  PlannedRun slow = plan("memcheck", true, 0.05);
  slow.name = "memcheck/runtests";
  slow.suite = "memcheck";
  slow.test = "runtests";
  slow.native_s = 36.3673;
  slow.native_where = "build/plumb-valgrind/Testing/Temporary/CTestCostData.txt";
  const auto results = run_variants(runner, {slow}, options_);
  ASSERT_EQ(results[0].result.status, core::VariantStatus::Timeout);
  EXPECT_NE(
      results[0].result.note.find("timed out under memcheck after 0.05s; it takes 36.4s natively (CTest's "
                                  "cost data, build/plumb-valgrind/Testing/Temporary/CTestCostData.txt)"),
      std::string::npos)
      << results[0].result.note;
  ASSERT_TRUE(results[0].result.timed_out.has_value());
  EXPECT_EQ(results[0].result.timed_out->native_from, core::NativeTimeSource::CtestCostData);
}

TEST_F(SchedulerTest, HeartbeatLinesAreSpacedOutAsTheRunGrows) {
  FakeRunner runner([](const ProcessSpec&) { return lasting(400ms); });
  options_.heartbeat = 10ms;
  run_variants(runner, {plan("long")}, options_);
  const std::string said = progress_.str();
  std::size_t lines = 0;
  for (std::size_t at = said.find("still running"); at != std::string::npos; at = said.find("still running", at + 1)) {
    ++lines;
  }
  // Gaps of 10, 20, 40, 80, 160 ms: five lines in 400 ms (some poll slack allowed), not forty.
  EXPECT_GE(lines, 3U) << said;
  EXPECT_LE(lines, 6U) << said;
}

TEST_F(SchedulerTest, HeartbeatCountsTheProcessesAFollowingRunChecks) {
  FakeRunner runner([](const ProcessSpec&) { return lasting(60ms); });
  options_.heartbeat = 10ms;
  PlannedRun test = plan("memcheck", true);
  test.name = "memcheck/wrapped";
  test.follows_children = true;
  run_variants(runner, {test}, options_);
  EXPECT_NE(progress_.str().find("still running: memcheck/wrapped ("), std::string::npos) << progress_.str();
  EXPECT_NE(progress_.str().find(", 0 process(es) under memcheck so far)"), std::string::npos) << progress_.str();
}

TEST_F(SchedulerTest, HeartbeatNamesWhatStillRuns) {
  FakeRunner runner([](const ProcessSpec&) { return lasting(60ms); });
  options_.heartbeat = 10ms;
  run_variants(runner, {plan("slow")}, options_);
  EXPECT_NE(progress_.str().find("still running: slow ("), std::string::npos) << progress_.str();
}

TEST_F(SchedulerTest, HeartbeatShowsTheHarnessProgressFromItsSamples) {
  const std::filesystem::path samples = dir_ / "harness" / "samples.jsonl";
  FakeRunner runner([&](const ProcessSpec&) {
    // The harness has written its meta line and one sample when the heartbeat looks.
    std::ofstream(samples) << R"({"type":"meta","iterations":400})"
                              "\n"
                           << R"({"type":"sample","iteration":100,"t_s":2.0})"
                              "\n";
    return lasting(60ms);
  });
  options_.heartbeat = 10ms;
  PlannedRun run = plan("harness");
  run.logs.push_back(LogSpec{"samples.jsonl", "", core::LogFormat::Samples, true, false, ""});
  run_variants(runner, {run}, options_);
  EXPECT_NE(progress_.str().find("still running: harness ("), std::string::npos) << progress_.str();
  EXPECT_NE(progress_.str().find(", iteration 100/400, 25%, ETA 6s)"), std::string::npos) << progress_.str();
}

TEST(FormatElapsed, SecondsAndMinutes) {
  EXPECT_EQ(format_elapsed(1.5), "1.5s");
  EXPECT_EQ(format_elapsed(42), "42s");
  EXPECT_EQ(format_elapsed(65), "1m05s");
  EXPECT_EQ(format_elapsed(3599.4), "59m59s");
  EXPECT_EQ(format_elapsed(3636.7), "1h00m37s");
  EXPECT_EQ(format_elapsed(36000), "10h00m00s");
}

}  // namespace
}  // namespace plumb::run

namespace plumb::run {
namespace {

using namespace std::chrono_literals;

class SchedulerExclusion : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("plumb-sched-x-" + std::to_string(::getpid()) + "-" +
            testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    options_.report_dir = dir_;
    options_.kill_grace = 50ms;
    options_.poll_interval = 2ms;
    options_.jobs = 4;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  PlannedRun plan(const std::string& name) {
    PlannedRun run;
    run.name = name;
    run.tool = core::Tool::Native;
    run.out_dir = dir_ / name;
    run.spec.argv = {name};
    return run;
  }

  std::filesystem::path dir_;
  SchedulerOptions options_;
};

TEST_F(SchedulerExclusion, ResourceLocksAndRunSerialKeepTheirRunsApart) {
  FakeRunner runner([](const ProcessSpec&) {
    FakeBehaviour behaviour;
    behaviour.duration = 40ms;
    return behaviour;
  });
  std::vector<PlannedRun> plans = {plan("a"), plan("b"), plan("c")};
  plans[0].locks = {"db"};
  plans[1].locks = {"db", "net"};
  plans[2].locks = {"db"};
  run_variants(runner, plans, options_);
  EXPECT_EQ(runner.max_concurrent(), 1) << "all three hold the lock db";

  FakeRunner serial_runner([](const ProcessSpec&) {
    FakeBehaviour behaviour;
    behaviour.duration = 40ms;
    return behaviour;
  });
  std::vector<PlannedRun> mixed = {plan("free1"), plan("serial"), plan("free2"), plan("free3")};
  mixed[1].run_serial = true;
  const auto results = run_variants(serial_runner, mixed, options_);
  EXPECT_EQ(serial_runner.max_concurrent(), 2) << "free2 and free3 together, never beside serial";
  for (const FinishedRun& result : results) {
    EXPECT_EQ(result.result.status, core::VariantStatus::Ok);
  }
}

TEST_F(SchedulerExclusion, ARunWaitsForTheRunsItComesAfter) {
  std::vector<std::string> ended;
  FakeRunner runner([](const ProcessSpec& spec) {
    FakeBehaviour behaviour;
    behaviour.duration = spec.argv.front() == "setup" ? 60ms : 5ms;
    return behaviour;
  });
  std::vector<PlannedRun> plans = {plan("setup"), plan("user"), plan("cleanup")};
  plans[1].after = {0};
  plans[2].after = {1};
  const auto results = run_variants(runner, plans, options_);
  EXPECT_EQ(runner.max_concurrent(), 1) << "each waits for the one before it";
  EXPECT_EQ(runner.started().size(), 3U);
}

TEST_F(SchedulerExclusion, ATestWhoseFixtureSetupFailedIsNotRunAndFails) {
  FakeRunner runner([](const ProcessSpec& spec) {
    FakeBehaviour behaviour;
    behaviour.exit_code = spec.argv.front() == "setup" ? 1 : 0;
    return behaviour;
  });
  std::vector<PlannedRun> plans = {plan("setup"), plan("user"), plan("cleanup")};
  plans[1].after = {0};
  plans[1].needs_passed = {0};
  plans[2].after = {1};
  const auto results = run_variants(runner, plans, options_);
  ASSERT_EQ(runner.started().size(), 2U) << "the setup and the cleanup run, the user does not";
  EXPECT_EQ(runner.started()[1].argv.front(), "cleanup");
  EXPECT_EQ(results[1].result.status, core::VariantStatus::Failed);
  EXPECT_EQ(results[1].result.note, "not run: its fixture setup setup did not pass");
  EXPECT_EQ(results[2].result.status, core::VariantStatus::Ok);
}

TEST_F(SchedulerExclusion, ATimeoutFromCtestSaysWhereItsLimitComesFrom) {
  FakeRunner runner([](const ProcessSpec&) {
    FakeBehaviour behaviour;
    behaviour.hangs = true;
    return behaviour;
  });
  PlannedRun slow = plan("memcheck");
  slow.tool = core::Tool::Memcheck;
  slow.suite = "memcheck";
  slow.test = "runtests";
  slow.ctest_timeout_s = 0.001;
  slow.timeout_s = 0.05;
  const auto results = run_variants(runner, {slow}, options_);
  ASSERT_EQ(results[0].result.status, core::VariantStatus::Timeout);
  EXPECT_NE(results[0].result.note.find("its limit is its CTest TIMEOUT of 0.001s times memcheck's usual slowdown, x100"),
            std::string::npos)
      << results[0].result.note;
}

}  // namespace
}  // namespace plumb::run

// plumb as a hostile user or an unlucky CI machine meets it: names that try to leave --out,
// folders that are not plumb's, two runs into one folder, hang-ups, SIGKILL, escaped processes.
#include <unistd.h>

#include <csignal>
#include <fstream>

#include "plumb_it.hpp"

namespace plumb::integration {
namespace {

using nlohmann::json;

// What only a `sleep MARKER` process's command line holds (arguments are NUL-separated there),
// unlike plumb's, its guard's or the shell's, which hold "sleep MARKER" with a space.
std::string sleep_process(const std::string& marker) {
  return std::string("sleep") + '\0' + marker;
}

// Waits until at least `count` live processes carry `marker` (at most 5 s).
void wait_for_processes(const std::string& marker, int count) {
  for (int attempt = 0; attempt < 200 && live_processes_with(marker) < count; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
}

TEST(PlumbFaults, NamesThatLeaveTheReportFolderAreRefusedAndNothingIsDeleted) {
  PLUMB_SKIP_IF_NESTED();
  ScratchDir scratch;
  const auto keep = scratch.path() / "work" / "keep";
  std::filesystem::create_directories(keep);
  std::ofstream(keep / "precious.txt") << "mine\n";
  const std::vector<std::string> names = {
      "..", ".", "../keep", (scratch.path() / "work" / "keep").string(), ".hidden", "build-logs", "a b"};
  for (const std::string& name : names) {
    const PlumbRun run = run_plumb(
        {"exec", "--tool", "native", "--exit-code-only", "--name", name, "--out", "work/out", "--", "true"},
        scratch.path());
    EXPECT_EQ(run.exit_code, 2) << name << ": " << run.stderr_text;
    EXPECT_NE(run.stderr_text.find("--name"), std::string::npos) << run.stderr_text;
    EXPECT_TRUE(std::filesystem::exists(keep / "precious.txt")) << name;
  }
}

TEST(PlumbFaults, AFolderPlumbDidNotMakeIsNeverReplaced) {
  PLUMB_SKIP_IF_NESTED();
  ScratchDir scratch;
  std::filesystem::create_directories(scratch.path() / "out" / "mine");
  std::ofstream(scratch.path() / "out" / "mine" / "notes.txt") << "not plumb's\n";
  PlumbRun run = run_plumb(
      {"exec", "--tool", "native", "--exit-code-only", "--name", "mine", "--out", "out", "--", "true"},
      scratch.path());
  EXPECT_EQ(run.exit_code, 2) << run.stderr_text;
  EXPECT_NE(run.stderr_text.find("was not made by plumb"), std::string::npos) << run.stderr_text;
  EXPECT_TRUE(std::filesystem::exists(scratch.path() / "out" / "mine" / "notes.txt"));
  // While it stands in --out, no run writes there at all (tests/faults: ForeignFileInOut); the user
  // moves it away.
  std::filesystem::rename(scratch.path() / "out" / "mine", scratch.path() / "mine");
  // A folder holding nothing but that variant's own logs is an earlier plumb's (before folders
  // carried the marker): it is adopted and replaced.
  std::filesystem::create_directories(scratch.path() / "out" / "legacy");
  std::ofstream(scratch.path() / "out" / "legacy" / "stdout.log") << "old run\n";
  std::ofstream(scratch.path() / "out" / "legacy" / "stderr.log") << "old run\n";
  run = run_plumb(
      {"exec", "--tool", "native", "--exit-code-only", "--name", "legacy", "--out", "out", "--", "true"},
      scratch.path());
  EXPECT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(read_file(scratch.path() / "out" / "legacy" / "stdout.log"), "");
  // A folder plumb made is replaced on the next run: the old log goes, the new one comes.
  run = run_plumb({"exec", "--tool", "native", "--exit-code-only", "--name", "ours", "--out", "out", "--",
                   "sh", "-c", "echo first"},
                  scratch.path());
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  std::ofstream(scratch.path() / "out" / "ours" / "stale.log") << "old\n";
  run = run_plumb(
      {"exec", "--tool", "native", "--exit-code-only", "--name", "ours", "--out", "out", "--", "true"},
      scratch.path());
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_FALSE(std::filesystem::exists(scratch.path() / "out" / "ours" / "stale.log"));
}

TEST(PlumbFaults, ASecondRunIntoTheSameFolderFailsAtOnce) {
  PLUMB_SKIP_IF_NESTED();
  ScratchDir scratch;
  const std::string marker = unique_sleep(1);
  auto first =
      start_plumb({"exec", "--tool", "native", "--exit-code-only", "--out", "out", "--", "sleep", marker},
                  scratch.path());
  wait_for_processes("sleep " + marker, 1);
  const auto started = std::chrono::steady_clock::now();
  const std::filesystem::path second_dir = scratch.path() / "second";
  std::filesystem::create_directories(second_dir);
  const PlumbRun second = run_plumb({"exec", "--tool", "native", "--exit-code-only", "--out",
                                     (scratch.path() / "out").string(), "--", "true"},
                                    second_dir);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(20));
  EXPECT_EQ(second.exit_code, 2) << second.stderr_text;
  EXPECT_NE(second.stderr_text.find("is in use by another plumb run (pid " + std::to_string(first->pid())),
            std::string::npos)
      << second.stderr_text;
  ::kill(first->pid(), SIGTERM);
  ASSERT_TRUE(run::wait_for(*first, std::chrono::seconds(30)).has_value());
  EXPECT_EQ(read_report(scratch.path() / "out")["variants"][0]["status"], "incomplete");
}

TEST(PlumbFaults, HangupStopsTheRunLikeSigterm) {
  PLUMB_SKIP_IF_NESTED();
  ScratchDir scratch;
  const std::string marker = unique_sleep(2);
  auto plumb = start_plumb({"exec", "--tool", "native", "--out", "out", "--", "sh", "-c",
                            "sleep " + marker + " & sleep " + marker},
                           scratch.path());
  wait_for_processes(sleep_process(marker), 2);
  ::kill(plumb->pid(), SIGHUP);
  const auto exit = run::wait_for(*plumb, std::chrono::seconds(30));
  ASSERT_TRUE(exit.has_value());
  EXPECT_EQ(exit->exit_code, 3);
  EXPECT_EQ(wait_for_no_processes_with(marker), 0);
  const json report = read_report(scratch.path() / "out");
  EXPECT_EQ(report["verdict"], "error");
  EXPECT_EQ(report["variants"][0]["status"], "incomplete");
}

TEST(PlumbFaults, ChildrenDieWithPlumbEvenWhenItIsKilled) {
  PLUMB_SKIP_IF_NESTED();
  ScratchDir scratch;
  const std::string marker = unique_sleep(3);
  auto plumb = start_plumb({"exec", "--tool", "native", "--out", "out", "--", "sh", "-c",
                            "sleep " + marker + " & sleep " + marker + " & wait"},
                           scratch.path());
  wait_for_processes(sleep_process(marker), 2);
  ASSERT_EQ(live_processes_with(sleep_process(marker)), 2);
  ::kill(plumb->pid(), SIGKILL);
  ASSERT_TRUE(run::wait_for(*plumb, std::chrono::seconds(10)).has_value());
  EXPECT_EQ(wait_for_no_processes_with(marker), 0);
}

TEST(PlumbFaults, AProcessThatEscapesWithSetsidIsReportedAndKilled) {
  PLUMB_SKIP_IF_NESTED();
  if (!on_path("setsid")) {
    GTEST_SKIP() << "setsid is not installed";
  }
  ScratchDir scratch;
  const std::string marker = unique_sleep(4);
  // The program starts a daemon in a session of its own and exits at once.
  const PlumbRun run = run_plumb({"exec", "--tool", "native", "--exit-code-only", "--out", "out", "--", "sh",
                                  "-c", "setsid sleep " + marker + " </dev/null >/dev/null 2>&1 & sleep 0.3"},
                                 scratch.path());
  EXPECT_EQ(run.exit_code, 3) << run.stderr_text;
  EXPECT_EQ(wait_for_no_processes_with(marker), 0);
  const json report = read_report(scratch.path() / "out");
  EXPECT_EQ(report["verdict"], "error");
  const std::string errors = report["variants"][0]["errors"].dump();
  EXPECT_NE(errors.find("left a process behind"), std::string::npos) << errors;
  EXPECT_NE(errors.find("sleep " + marker), std::string::npos) << errors;
}

}  // namespace
}  // namespace plumb::integration

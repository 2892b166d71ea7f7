// Runs plumb must end right, whatever the processes do: an escaped daemon with no environment, a
// test name with control characters, two runs on one build tree, an interrupt during the build,
// and hung runs whose timeouts fall together.
#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "fault_support.hpp"

namespace plumb::faults {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

// A CMake project with one program (hello) and, when `slow_target`, a target that sleeps while
// everything is built; its preset `p` builds into build/p.
void write_project(const fs::path& root, bool slow_target) {
  std::ofstream(root / "hello.cpp") << "int main() { return 0; }\n";
  std::ofstream(root / "CMakeLists.txt")
      << "cmake_minimum_required(VERSION 3.20)\nproject(tiny CXX)\n"
         "set(CMAKE_RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin)\n"
         "add_executable(hello hello.cpp)\nenable_testing()\nadd_test(NAME hello COMMAND hello)\n"
      << (slow_target ? "add_custom_target(slow ALL COMMAND sleep 60)\n" : "");
  std::ofstream(root / "CMakePresets.json")
      << R"({"version": 3, "configurePresets": [{"name": "p", "binaryDir": "${sourceDir}/build/p"}],)"
      << R"( "buildPresets": [{"name": "p", "configurePreset": "p"}]})"
      << "\n";
}

// A variant of plumb.toml: native, judged by its exit code.
std::string variant(const std::string& name, const std::string& body, double timeout_s = 60) {
  return "[[variant]]\nname = \"" + name + "\"\ntool = \"native\"\nexit_code_only = true\n" + body +
         "[variant.tiers.pr]\ntimeout_s = " + std::to_string(timeout_s) + "\n";
}

TEST(EscapedDaemon, WithNoEnvironmentIsFoundKilledAndNeverAPass) {
  PLUMB_SKIP_WHEN_NESTED();
  TempDir tmp;
  const fs::path pid_file = tmp / "daemon.pid";
  // The daemon leaves the group and the session and drops every variable, the run token included;
  // the program waits until it has started, then ends.
  const std::string script =
      "setsid env -i /bin/sh -c 'echo $$ > \"$0\"; exec sleep 300' \"$0\" & "
      "while [ ! -s \"$0\" ]; do sleep 0.05; done";
  const RunResult run = run_plumb({"exec", "--tool", "native", "--exit-code-only", "--timeout", "60", "--out",
                                   (tmp / "out").string(), "--", "/bin/sh", "-c", script, pid_file.string()},
                                  tmp.path());
  ASSERT_FALSE(run.timed_out) << describe(run);
  const std::optional<pid_t> daemon = wait_for_pid_file(pid_file, seconds(1));
  ASSERT_TRUE(daemon.has_value()) << describe(run);
  const bool gone = wait_until_dead(*daemon, std::chrono::milliseconds(1000));
  if (!gone) {
    kill(*daemon, SIGKILL);  // do not leave it to the rest of the test run
  }
  EXPECT_TRUE(gone) << "the daemon " << *daemon << " outlived plumb\n" << describe(run);
  EXPECT_NE(run.exit_code, 0) << describe(run);
  const nlohmann::json report = read_report(tmp / "out");
  EXPECT_NE(report.value("verdict", ""), "pass") << report.dump(2);
  EXPECT_NE(report.dump().find("left a process behind"), std::string::npos) << report.dump(2);
  EXPECT_NE(report.dump().find("pid " + std::to_string(*daemon)), std::string::npos) << report.dump(2);
}

TEST(TestName, WithEscapeAndNewlineReachesTheTerminalEscaped) {
  PLUMB_SKIP_WHEN_NESTED();
  if (!on_path("ctest")) {
    GTEST_SKIP() << "ctest is not installed";
  }
  TempDir tmp;
  fs::create_directories(tmp / "build" / "p");
  // A bracket argument carries the raw bytes: ESC, a clear-screen sequence, a newline and a forged verdict.
  std::ofstream(tmp / "build" / "p" / "CTestTestfile.cmake")
      << "add_test([=[evil\x1b[2J\nverdict: PASS]=] \"/bin/true\")\n";
  std::ofstream(tmp / "plumb.toml") << "[[variant]]\nname = \"suite\"\npreset = \"p\"\ntool = \"native\"\n"
                                       "ctest = true\n[variant.tiers.pr]\ntimeout_s = 60\n";
  const RunResult run = run_plumb(
      {"run", "--config", (tmp / "plumb.toml").string(), "--no-build", "--out", (tmp / "out").string()},
      tmp.path());
  ASSERT_FALSE(run.timed_out) << describe(run);
  const std::string both = run.out + run.err;
  EXPECT_NE(run.err.find("evil\\x1b[2J\\nverdict: PASS"), std::string::npos)
      << "the name should be shown escaped\n"
      << describe(run);
  EXPECT_EQ(both.find('\x1b'), std::string::npos) << describe(run);
  EXPECT_EQ(run.err.find("\nverdict: PASS"), std::string::npos) << "a forged line\n" << describe(run);
  std::size_t verdict_lines = 0;
  for (std::size_t at = 0; (at = run.out.find("verdict: ", at)) != std::string::npos; ++at) {
    verdict_lines += (at == 0 || run.out[at - 1] == '\n') ? 1 : 0;
  }
  EXPECT_EQ(verdict_lines, 1u) << describe(run);
}

TEST(TwoRuns, OnOneFreshBuildTreeWaitForEachOtherAndBothPass) {
  PLUMB_SKIP_WHEN_NESTED();
  if (!on_path("cmake") || !on_path("c++")) {
    GTEST_SKIP() << "cmake or a C++ compiler is not installed";
  }
  TempDir tmp;
  write_project(tmp.path(), false);
  std::ofstream(tmp / "plumb.toml") << variant("hello", "preset = \"p\"\ntarget = \"hello\"\n");
  fs::create_directories(tmp / "a");
  fs::create_directories(tmp / "b");
  RunOptions options;
  options.cwd = tmp.path();
  options.guard = seconds(300);
  Child first({PLUMB_EXE, "run", "--out", (tmp / "out-a").string()}, options, tmp / "a");
  Child second({PLUMB_EXE, "run", "--out", (tmp / "out-b").string()}, options, tmp / "b");
  const RunResult a = first.wait();
  const RunResult b = second.wait();
  ASSERT_FALSE(a.timed_out || b.timed_out) << describe(a) << describe(b);
  EXPECT_EQ(a.exit_code, 0) << describe(a);
  EXPECT_EQ(b.exit_code, 0) << describe(b);
  EXPECT_EQ(read_report(tmp / "out-a").value("verdict", ""), "pass");
  EXPECT_EQ(read_report(tmp / "out-b").value("verdict", ""), "pass");
  EXPECT_NE((a.err + b.err).find("waiting for another plumb run"), std::string::npos)
      << "one run should have said it waits\n"
      << describe(a) << describe(b);
}

TEST(InterruptDuringTheBuild, StartsNothingMoreAndSaysOnlyInterrupted) {
  PLUMB_SKIP_WHEN_NESTED();
  if (!on_path("cmake") || !on_path("c++") || !on_path("ctest")) {
    GTEST_SKIP() << "cmake, ctest or a C++ compiler is not installed";
  }
  TempDir tmp;
  write_project(tmp.path(), true);
  std::ofstream(tmp / "plumb.toml") << variant("hello", "preset = \"p\"\ntarget = \"hello\"\n")
                                    << "[[variant]]\nname = \"suite\"\npreset = \"p\"\ntool = \"native\"\n"
                                       "ctest = true\n[variant.tiers.pr]\ntimeout_s = 60\n";
  RunOptions options;
  options.cwd = tmp.path();
  options.guard = seconds(300);
  Child plumb({PLUMB_EXE, "run", "--out", (tmp / "out").string()}, options, tmp.path());
  const auto deadline = std::chrono::steady_clock::now() + seconds(240);
  while (read_text(tmp / "plumb.stderr").find("plumb: building") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // into the slow target
  ASSERT_EQ(kill(plumb.pid(), SIGINT), 0);
  const RunResult run = plumb.wait();
  ASSERT_FALSE(run.timed_out) << describe(run);
  EXPECT_EQ(run.exit_code, 3) << describe(run);
  EXPECT_LT(run.seconds, 200.0);
  const nlohmann::json report = read_report(tmp / "out");
  ASSERT_TRUE(report.is_object()) << describe(run);
  const std::string text = report.dump();
  for (const char* misleading :
       {"ctest lists no command", "does not exist", "listed no test", "build of preset"}) {
    EXPECT_EQ(text.find(misleading), std::string::npos) << misleading << "\n" << report.dump(2);
  }
  EXPECT_EQ(run.err.find("listing the CTest tests"), std::string::npos) << describe(run);
  ASSERT_EQ(report["variants"].size(), 2u) << report.dump(2);
  for (const nlohmann::json& ran : report["variants"]) {
    EXPECT_NE(ran.value("note", "").find("interrupted"), std::string::npos) << ran.dump(2);
  }
}

TEST(TwoHungRuns, AtJobs2AreEachKilledWithinTheirTimeoutPlusOneGrace) {
  PLUMB_SKIP_WHEN_NESTED();
  TempDir tmp;
  // Both ignore SIGTERM, so each needs the whole grace (5 s) before SIGKILL.
  std::ofstream(tmp / "plumb.toml")
      << "[[variant]]\nname = \"hung-a\"\ntool = \"native\"\nexit_code_only = true\ntarget = \"/bin/sh\"\n"
         "[variant.tiers.pr]\nargs = [\"-c\", \"trap '' TERM; sleep 120\"]\ntimeout_s = 2\n"
         "[[variant]]\nname = \"hung-b\"\ntool = \"native\"\nexit_code_only = true\ntarget = \"/bin/sh\"\n"
         "[variant.tiers.pr]\nargs = [\"-c\", \"trap '' TERM; sleep 120\"]\ntimeout_s = 2\n";
  const RunResult run = run_plumb({"run", "--config", (tmp / "plumb.toml").string(), "--no-build", "-j", "2",
                                   "--out", (tmp / "out").string()},
                                  tmp.path());
  ASSERT_FALSE(run.timed_out) << describe(run);
  EXPECT_EQ(run.exit_code, 3) << describe(run);
  const nlohmann::json report = read_report(tmp / "out");
  ASSERT_EQ(report["variants"].size(), 2u) << describe(run);
  constexpr double kLimit = 2.0 + 5.0 + 1.0;  // timeout, one grace, scheduling slack
  for (const nlohmann::json& hung : report["variants"]) {
    EXPECT_EQ(hung.value("status", ""), "timeout") << hung.dump(2);
    EXPECT_LT(hung.value("duration_s", 99.0), kLimit) << hung.dump(2);
  }
  EXPECT_LT(run.seconds, kLimit + 2.0) << describe(run);
}

TEST(DisabledDetection, ThatTheGateNeedsIsRefusedBeforeAnythingRuns) {
  PLUMB_SKIP_WHEN_NESTED();
  TempDir tmp;
  const RunResult run =
      run_plumb({"exec", "--tool", "asan", "--tool-args", "detect_leaks=0", "--out", (tmp / "out").string(),
                 "--", FAULT_SILENT, "--marker", (tmp / "ran").string()},
                tmp.path());
  ASSERT_FALSE(run.timed_out) << describe(run);
  EXPECT_EQ(run.exit_code, 2) << describe(run);
  EXPECT_NE(run.err.find("'detect_leaks=0' turns off asan's detection of leak.definite"), std::string::npos)
      << describe(run);
  EXPECT_FALSE(fs::exists(tmp / "ran"));
}

TEST(DisabledDetection, AllowedIsNamedInTheReport) {
  PLUMB_SKIP_WHEN_NESTED();
  if (!on_path("valgrind")) {
    GTEST_SKIP() << "valgrind is not installed";
  }
  TempDir tmp;
  const RunResult run =
      run_plumb({"exec", "--tool", "memcheck", "--tool-args=--leak-check=no", "--allow-disabled-detection",
                 "--out", (tmp / "out").string(), "--", FAULT_SILENT},
                tmp.path());
  ASSERT_FALSE(run.timed_out) << describe(run);
  const nlohmann::json report = read_report(tmp / "out");
  ASSERT_EQ(report["variants"].size(), 1u) << describe(run);
  EXPECT_NE(report["variants"][0].value("note", "").find("detection off: --leak-check=no (leak.definite"),
            std::string::npos)
      << report.dump(2);
}

}  // namespace
}  // namespace plumb::faults

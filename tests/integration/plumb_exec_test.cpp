// plumb exec end to end: real tools, real processes, real reports and exit codes.
#include <csignal>
#include <fstream>

#include "plumb_it.hpp"

namespace plumb::integration {
namespace {

using nlohmann::json;

TEST(PlumbExec, MemcheckFindsTheDefiniteLeakInItsFunction) {
  PLUMB_SKIP_IF_NESTED();
  if (!on_path("valgrind")) {
    GTEST_SKIP() << "valgrind is not installed";
  }
  ScratchDir scratch;
  const PlumbRun run =
      run_plumb({"exec", "--tool", "memcheck", "--out", "out", "--", LEAKY_EXE}, scratch.path());
  EXPECT_EQ(run.exit_code, 1) << run.stderr_text;
  const json report = read_report(scratch.path() / "out");
  EXPECT_EQ(report["verdict"], "fail");
  ASSERT_EQ(report["variants"].size(), 1u);
  EXPECT_EQ(report["variants"][0]["status"], "ok");
  bool found = false;
  for (const json& finding : report["findings"]) {
    if (finding["kind"] == "leak.definite") {
      found = true;
      EXPECT_EQ(finding["bytes"], 48);
      ASSERT_FALSE(finding["frames"].empty());
      EXPECT_EQ(finding["frames"][0]["function"], "plumb_it_leak_block()") << finding.dump(2);
      EXPECT_EQ(finding["status"], "new");
    }
  }
  EXPECT_TRUE(found) << report.dump(2);
  EXPECT_NE(run.stdout_text.find("leak.definite"), std::string::npos) << run.stdout_text;
  for (const char* file : {"report.json", "report.html", "junit.xml", "report.sarif"}) {
    EXPECT_TRUE(std::filesystem::exists(scratch.path() / "out" / file)) << file;
  }
}

// The definite leaks of a report, by their innermost function.
std::vector<std::string> definite_leak_functions(const json& report) {
  std::vector<std::string> functions;
  for (const json& finding : report["findings"]) {
    if (finding["kind"] == "leak.definite" && !finding["frames"].empty()) {
      functions.push_back(finding["frames"][0]["function"].get<std::string>());
    }
  }
  return functions;
}

// `program` run by plumb exec under memcheck finds the leaky program's one definite leak (exit 1).
void expect_memcheck_finds_the_leak(const std::filesystem::path& scratch, const std::filesystem::path& program) {
  const PlumbRun run = run_plumb({"exec", "--tool", "memcheck", "--out", "out", "--", program.string()}, scratch);
  EXPECT_EQ(run.exit_code, 1) << run.stderr_text;
  const json report = read_report(scratch / "out");
  EXPECT_EQ(report["variants"][0]["status"], "ok") << report["variants"][0].dump(2);
  EXPECT_EQ(definite_leak_functions(report), std::vector<std::string>{"plumb_it_leak_block()"}) << report.dump(2);
}

// An executable script at `path` with `body` after its #!/bin/sh line.
void write_script(const std::filesystem::path& path, const std::string& body) {
  std::ofstream(path) << "#!/bin/sh\n" << body;
  std::filesystem::permissions(path, std::filesystem::perms::owner_all);
}

// A script that execs the program (a version manager's shim, a launcher): memcheck follows it to
// the program instead of checking the shell and stopping at its exec with the log cut off.
TEST(PlumbExec, MemcheckFollowsAScriptToTheProgramItExecs) {
  PLUMB_SKIP_IF_NESTED();
  if (!on_path("valgrind")) {
    GTEST_SKIP() << "valgrind is not installed";
  }
  ScratchDir scratch;
  write_script(scratch.path() / "launch", std::string("exec '") + LEAKY_EXE + "' \"$@\"\n");
  expect_memcheck_finds_the_leak(scratch.path(), scratch.path() / "launch");
}

// A program named like an interpreter (python3), run as the command itself and starting nothing:
// it is the program under test, never skipped as a wrapper (which would pass having judged nothing).
TEST(PlumbExec, AWrapperNamedCommandThatStartsNothingIsItselfJudged) {
  PLUMB_SKIP_IF_NESTED();
  if (!on_path("valgrind")) {
    GTEST_SKIP() << "valgrind is not installed";
  }
  ScratchDir scratch;
  const std::filesystem::path named = scratch.path() / "python3";
  std::filesystem::copy_file(LEAKY_EXE, named);
  expect_memcheck_finds_the_leak(scratch.path(), named);
}

// A shim that runs a helper first, then execs an interpreter-named program under its own pid (as
// pyenv's python3 does): what the command exec'd into is the program, judged, though the pid it
// inherited started the helper.
TEST(PlumbExec, WhatAShimExecsIntoIsJudgedThoughItsPidStartedAHelper) {
  PLUMB_SKIP_IF_NESTED();
  if (!on_path("valgrind")) {
    GTEST_SKIP() << "valgrind is not installed";
  }
  ScratchDir scratch;
  const std::filesystem::path named = scratch.path() / "python3";
  std::filesystem::copy_file(LEAKY_EXE, named);
  write_script(scratch.path() / "shim", "helper=$(basename /a/b)\nexec '" + named.string() + "' \"$@\"\n");
  expect_memcheck_finds_the_leak(scratch.path(), scratch.path() / "shim");
}

TEST(PlumbExec, TimeoutKillsTheWholeGroupAndStillReports) {
  PLUMB_SKIP_IF_NESTED();
  ScratchDir scratch;
  const std::string marker = unique_sleep(std::rand() % 1000);
  const auto start = std::chrono::steady_clock::now();
  const PlumbRun run = run_plumb({"exec", "--tool", "native", "--timeout", "1", "--out", "out", "--", "sh",
                                  "-c", "sleep " + marker + " & sleep " + marker},
                                 scratch.path());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
  EXPECT_EQ(run.exit_code, 3) << run.stderr_text;
  EXPECT_EQ(wait_for_no_processes_with(marker), 0);
  const json report = read_report(scratch.path() / "out");
  EXPECT_EQ(report["variants"][0]["status"], "timeout");
  EXPECT_EQ(report["verdict"], "error");
  EXPECT_NE(run.stderr_text.find("timed out"), std::string::npos) << run.stderr_text;
}

TEST(PlumbExec, MemcheckKilledAtItsTimeoutLeavesNothingInTheTemporaryFolder) {
  PLUMB_SKIP_IF_NESTED();
  if (!on_path("valgrind")) {
    GTEST_SKIP() << "needs valgrind";
  }
  ScratchDir scratch;
  const std::filesystem::path tmp = scratch.path() / "tmp";
  std::filesystem::create_directories(tmp);
  const std::string marker = unique_sleep(std::rand() % 1000);
  const PlumbRun run = run_plumb({"exec", "--tool", "memcheck", "--timeout", "3", "--out", "out", "--", "sleep", marker},
                                 scratch.path(), {{"TMPDIR", tmp.string()}});
  EXPECT_EQ(run.exit_code, 3) << run.stderr_text;
  EXPECT_EQ(wait_for_no_processes_with(marker), 0);
  EXPECT_EQ(read_report(scratch.path() / "out")["variants"][0]["status"], "timeout");
  // valgrind's gdbserver FIFOs (vgdb-pipe-*) would outlive the killed valgrind.
  std::vector<std::string> left;
  for (const auto& entry : std::filesystem::directory_iterator(tmp)) {
    left.push_back(entry.path().filename().string());
  }
  EXPECT_TRUE(left.empty()) << left.size() << " left, first: " << (left.empty() ? "" : left.front());
}

TEST(PlumbExec, ASegfaultIsACrashFinding) {
  PLUMB_SKIP_IF_NESTED();
  ScratchDir scratch;
  const PlumbRun run =
      run_plumb({"exec", "--tool", "native", "--out", "out", "--", CRASHING_EXE}, scratch.path());
  EXPECT_NE(run.exit_code, 0);
  const json report = read_report(scratch.path() / "out");
  ASSERT_EQ(report["findings"].size(), 1u) << report.dump(2);
  EXPECT_EQ(report["findings"][0]["kind"], "crash");
  EXPECT_EQ(report["findings"][0]["detail"], "SIGSEGV");
  // Only the signal shows the crash: no tool output to judge, so an error (exit 3).
  EXPECT_EQ(report["verdict"], "error");
  EXPECT_EQ(run.exit_code, 3);
}

TEST(PlumbExec, MissingProgramOrToolIsAnInfrastructureFailure) {
  PLUMB_SKIP_IF_NESTED();
  ScratchDir scratch;
  PlumbRun run = run_plumb({"exec", "--tool", "native", "--out", "out", "--", "plumb-it-no-such-program"},
                           scratch.path());
  EXPECT_EQ(run.exit_code, 3) << run.stderr_text;
  EXPECT_EQ(read_report(scratch.path() / "out")["variants"][0]["status"], "incomplete");
  // valgrind itself missing: a PATH without it.
  run = run_plumb({"exec", "--tool", "memcheck", "--out", "out2", "--", LEAKY_EXE}, scratch.path(),
                  {{"PATH", (scratch.path() / "empty-path").string()}});
  EXPECT_EQ(run.exit_code, 3) << run.stderr_text;
  EXPECT_NE(read_report(scratch.path() / "out2")["variants"][0]["note"].get<std::string>().find("valgrind"),
            std::string::npos);
  // The program under the tool missing: named with the path looked for, not "exited with 127".
  if (on_path("valgrind")) {
    run = run_plumb({"exec", "--tool", "memcheck", "--out", "out3", "--", "/plumb-it/no/such/program"},
                    scratch.path());
    EXPECT_EQ(run.exit_code, 3) << run.stderr_text;
    const std::string note = read_report(scratch.path() / "out3")["variants"][0]["note"].get<std::string>();
    EXPECT_NE(note.find("/plumb-it/no/such/program: no such program (looked for this path)"),
              std::string::npos)
        << note;
  }
}

TEST(PlumbExec, MemcheckFollowsAForkedChildAndFindsItsLeak) {
  PLUMB_SKIP_IF_NESTED();
  if (!on_path("valgrind")) {
    GTEST_SKIP() << "valgrind is not installed";
  }
  ScratchDir scratch;
  const PlumbRun run =
      run_plumb({"exec", "--tool", "memcheck", "--out", "out", "--", FORKING_EXE}, scratch.path());
  EXPECT_EQ(run.exit_code, 1) << run.stderr_text;
  const json report = read_report(scratch.path() / "out");
  EXPECT_EQ(report["verdict"], "fail") << report.dump(2);
  bool child_leak = false;
  for (const auto& finding : report["findings"]) {
    if (finding["kind"] == "leak.definite" && finding["bytes"] == 100) {
      child_leak = true;
      EXPECT_EQ(finding["site"], "leak_in_child@forking_program.cpp");
      EXPECT_NE(finding["message"].get<std::string>().find("in forked child pid"), std::string::npos)
          << finding["message"];
    }
  }
  EXPECT_TRUE(child_leak) << report.dump(2);
  // The parent, the leaking child and the child system() exec'd each wrote an XML; the last one
  // left valgrind by exec and is noted, not an error.
  std::size_t xml_logs = 0;
  for (const auto& log : report["variants"][0]["logs"]) {
    xml_logs += log.get<std::string>().ends_with(".xml") ? 1 : 0;
  }
  EXPECT_EQ(xml_logs, 3U) << report["variants"][0].dump(2);
  EXPECT_NE(
      report["variants"][0]["note"].get<std::string>().find("exec'd a program memcheck does not follow"),
      std::string::npos)
      << report["variants"][0].dump(2);
}

TEST(PlumbExec, AsanRunOfAWrapperThatExecsAnUninstrumentedProgramIsAnError) {
  PLUMB_SKIP_IF_NESTED();
  ScratchDir scratch;
  const std::filesystem::path wrapper = scratch.path() / "wrapper.sh";
  std::ofstream(wrapper) << "#!/bin/sh\nexec true\n";
  std::filesystem::permissions(wrapper, std::filesystem::perms::owner_all);
  const PlumbRun run =
      run_plumb({"exec", "--tool", "asan", "--out", "out", "--", wrapper.string()}, scratch.path());
  EXPECT_EQ(run.exit_code, 3) << run.stderr_text;
  const json report = read_report(scratch.path() / "out");
  EXPECT_EQ(report["verdict"], "error");
  EXPECT_NE(
      report["reasons"][0]["text"].get<std::string>().find("no process loaded the AddressSanitizer runtime"),
      std::string::npos)
      << report["reasons"].dump(2);
}

TEST(PlumbExec, NativeRunWithoutSamplesNeedsExitCodeOnly) {
  PLUMB_SKIP_IF_NESTED();
  ScratchDir scratch;
  PlumbRun run = run_plumb({"exec", "--tool", "native", "--out", "out", "--", "true"}, scratch.path());
  EXPECT_EQ(run.exit_code, 3) << run.stderr_text;
  EXPECT_EQ(read_report(scratch.path() / "out")["verdict"], "error");
  run = run_plumb({"exec", "--tool", "native", "--exit-code-only", "--out", "out2", "--", "true"},
                  scratch.path());
  EXPECT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(read_report(scratch.path() / "out2")["verdict"], "pass");
}

TEST(PlumbExec, UnwritableOutputFailsBeforeAnythingRuns) {
  PLUMB_SKIP_IF_NESTED();
  ScratchDir scratch;
  std::filesystem::create_directories(scratch.path() / "locked");
  std::filesystem::permissions(scratch.path() / "locked",
                               std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
  const std::filesystem::path marker = scratch.path() / "ran";
  const std::string out =
      ::geteuid() == 0 ? "/proc/plumb-it-out" : (scratch.path() / "locked" / "out").string();
  const PlumbRun run =
      run_plumb({"exec", "--tool", "native", "--out", out, "--", "touch", marker.string()}, scratch.path());
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_FALSE(std::filesystem::exists(marker));
  EXPECT_NE(run.stderr_text.find("plumb: "), std::string::npos);
  EXPECT_EQ(std::count(run.stderr_text.begin(), run.stderr_text.end(), '\n'), 1) << run.stderr_text;
  std::filesystem::permissions(scratch.path() / "locked", std::filesystem::perms::owner_all);
}

TEST(PlumbExec, SigtermKillsChildrenAndWritesTheReport) {
  PLUMB_SKIP_IF_NESTED();
  ScratchDir scratch;
  const std::string marker = unique_sleep(std::rand() % 1000);
  auto plumb = start_plumb({"exec", "--tool", "native", "--out", "out", "--", "sh", "-c",
                            "sleep " + marker + " & sleep " + marker},
                           scratch.path());
  // Wait until the children run, then ask plumb to stop.
  for (int attempt = 0; attempt < 200 && live_processes_with("sleep " + marker) < 1; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  for (int attempt = 0; attempt < 100 && live_processes_with(marker) < 4; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));  // plumb, sh and both sleeps.
  }
  ::kill(plumb->pid(), SIGTERM);
  const auto exit = run::wait_for(*plumb, std::chrono::seconds(30));
  ASSERT_TRUE(exit.has_value());
  EXPECT_EQ(exit->exit_code, 3);
  EXPECT_EQ(wait_for_no_processes_with(marker), 0);
  const json report = read_report(scratch.path() / "out");
  EXPECT_EQ(report["variants"][0]["status"], "incomplete");
  for (const auto& entry : std::filesystem::recursive_directory_iterator(scratch.path() / "out")) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << entry.path();
  }
}

}  // namespace
}  // namespace plumb::integration

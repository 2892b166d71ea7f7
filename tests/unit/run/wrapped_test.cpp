// Wrapped test commands: the program a wrapper runs is found in its arguments (ELF files, the words
// of `sh -c`), preferring the build tree; a wrapper's own memcheck log is told by its program.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "plumb/core/tools.hpp"
#include "plumb/run/wrapped.hpp"

namespace plumb::run {
namespace {

class Wrapped : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("plumb-wrapped-" + std::to_string(::getpid()) + "-" +
            testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_ / "build" / "bin");
    std::filesystem::create_directories(dir_ / "tools");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // A file starting with the ELF magic (what the check reads to tell a program from a script).
  std::filesystem::path elf(const std::filesystem::path& relative) {
    std::ofstream(dir_ / relative, std::ios::binary) << "\x7f" "ELF and the rest";
    return dir_ / relative;
  }

  std::filesystem::path script(const std::filesystem::path& relative) {
    std::ofstream(dir_ / relative) << "#!/bin/sh\nexec \"$@\"\n";
    return dir_ / relative;
  }

  std::filesystem::path dir_;
};

TEST(WrapperPrograms, MatchesByFileNameWithVersionsAndConfiguredNames) {
  EXPECT_TRUE(core::is_wrapper_program("/usr/bin/bash", {}));
  EXPECT_TRUE(core::is_wrapper_program("sh", {}));
  EXPECT_TRUE(core::is_wrapper_program("/usr/bin/python3", {}));
  EXPECT_TRUE(core::is_wrapper_program("/opt/py/bin/python3.11", {}));
  EXPECT_TRUE(core::is_wrapper_program("/usr/bin/perl5.36", {}));
  EXPECT_TRUE(core::is_wrapper_program("/usr/bin/cmake", {}));
  EXPECT_FALSE(core::is_wrapper_program("/build/bin/shell_test", {}));
  EXPECT_FALSE(core::is_wrapper_program("/build/bin/environment", {}));
  EXPECT_FALSE(core::is_wrapper_program("/usr/bin/valgrind-di-server", {}));
  EXPECT_FALSE(core::is_wrapper_program("/build/bin/run-tests", {}));
  EXPECT_TRUE(core::is_wrapper_program("/build/bin/run-tests", {"run-tests"}));
}

TEST_F(Wrapped, AProgramRunDirectlyIsNoWrapper) {
  const auto program = elf("build/bin/test_parse");
  EXPECT_FALSE(wrapped_programs({program.string(), "--fast"}, dir_, dir_ / "build", {}));
}

TEST_F(Wrapped, BashRunShFindsTheProgramArgument) {
  const auto program = elf("build/bin/runtests");
  const auto found =
      wrapped_programs({"/usr/bin/bash", script("run.sh").string(), program.string(), "-v"}, dir_, dir_ / "build", {});
  ASSERT_TRUE(found);
  EXPECT_EQ(*found, std::vector<std::filesystem::path>{program});
}

TEST_F(Wrapped, ShDashCReadsTheWordsOfItsScriptRelativeToTheWorkingDirectory) {
  const auto program = elf("build/bin/runtests");
  const auto found = wrapped_programs({"/bin/sh", "-c", "'build/bin/runtests' --x && echo done"}, dir_, dir_ / "build", {});
  ASSERT_TRUE(found);
  EXPECT_EQ(*found, std::vector<std::filesystem::path>{program});
}

TEST_F(Wrapped, EnvAssignmentsAndOptionsNameNoProgram) {
  const auto program = elf("build/bin/runtests");
  const auto found = wrapped_programs(
      {"/usr/bin/cmake", "-E", "env", "LEDGER=" + program.string(), "--unset=X", program.string()}, dir_,
      dir_ / "build", {});
  ASSERT_TRUE(found);
  EXPECT_EQ(*found, std::vector<std::filesystem::path>{program});
}

TEST_F(Wrapped, ProgramsInTheBuildTreeWinOverOthers) {
  const auto tool = elf("tools/helper");
  const auto program = elf("build/bin/runtests");
  const auto found = wrapped_programs({"env", tool.string(), program.string()}, dir_, dir_ / "build", {});
  ASSERT_TRUE(found);
  EXPECT_EQ(*found, std::vector<std::filesystem::path>{program});
  const auto outside = wrapped_programs({"env", tool.string()}, dir_, dir_ / "build", {});
  ASSERT_TRUE(outside);
  EXPECT_EQ(*outside, std::vector<std::filesystem::path>{tool});
}

TEST_F(Wrapped, AWrapperWhoseArgumentsNameNoProgramTellsNothing) {
  const auto found = wrapped_programs({"/usr/bin/bash", script("run.sh").string(), "all"}, dir_, dir_ / "build", {});
  ASSERT_TRUE(found);
  EXPECT_TRUE(found->empty());
}

TEST_F(Wrapped, AScriptRunDirectlyIsAWrapper) {
  const auto program = elf("build/bin/runtests");
  const auto found = wrapped_programs({script("run.sh").string(), program.string()}, dir_, dir_ / "build", {});
  ASSERT_TRUE(found);
  EXPECT_EQ(*found, std::vector<std::filesystem::path>{program});
}

TEST_F(Wrapped, FollowedProcessesAreCountedByTheirLogs) {
  EXPECT_EQ(followed_processes(dir_), 0U);
  std::ofstream(dir_ / "memcheck.11.xml") << "<";
  std::ofstream(dir_ / "memcheck.12.xml") << "<";
  std::ofstream(dir_ / "valgrind.log") << "==11==";
  EXPECT_EQ(followed_processes(dir_), 2U);
}

TEST_F(Wrapped, AMemcheckLogNamesItsProgram) {
  std::ofstream(dir_ / "memcheck.1.xml") << "<?xml version=\"1.0\"?>\n<valgrindoutput>\n<args>\n  <vargv>\n"
                                           "    <exe>/usr/bin/valgrind.bin</exe>\n  </vargv>\n  <argv>\n"
                                           "    <exe>/opt/a&amp;b/runtests</exe>\n    <arg>-v</arg>\n  </argv>\n</args>\n";
  const auto process = memcheck_log_process(dir_ / "memcheck.1.xml");
  ASSERT_TRUE(process);
  EXPECT_EQ(process->program, "/opt/a&b/runtests");
  EXPECT_EQ(process->pid, 0);
  std::ofstream(dir_ / "memcheck.2.xml") << "<?xml version=\"1.0\"?>\n<valgrindoutput>\n";
  EXPECT_FALSE(memcheck_log_process(dir_ / "memcheck.2.xml"));
  // The real preamble: pid and ppid come before the arguments.
  const auto leak = memcheck_log_process(std::filesystem::path(PLUMB_GOLDEN_DIR) / "memcheck" / "leak.xml");
  ASSERT_TRUE(leak);
  EXPECT_EQ(leak->pid, 9419);
  EXPECT_EQ(leak->ppid, 9287);
  EXPECT_TRUE(is_wrapper("/usr/bin/bash", {}));
  EXPECT_FALSE(is_wrapper(elf("build/bin/runtests"), {}));
}

}  // namespace
}  // namespace plumb::run

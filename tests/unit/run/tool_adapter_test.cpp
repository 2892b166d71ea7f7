// Tool adapters: the exact argv, environment and log files of each tool.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "plumb/core/errors.hpp"
#include "plumb/run/tool_adapter.hpp"

namespace plumb::run {
namespace {

using Strings = std::vector<std::string>;

TEST(ToolAdapter, MemcheckWrapsTheCommandInValgrindWithXmlPerPid) {
  const ToolInvocation run =
      adapt_tool(core::Tool::Memcheck, {"./prog", "--x"}, ToolContext{"/out", "", {"--num-callers=12"}});
  EXPECT_EQ(run.argv,
            (Strings{"valgrind", "--tool=memcheck", "--xml=yes", "--xml-file=/out/memcheck.%p.xml",
                     "--leak-check=full", "--show-leak-kinds=all", "--track-origins=yes", "--num-callers=40",
                     "--child-silent-after-fork=no", "--track-fds=yes", "--error-exitcode=0",
                     "--log-file=/out/valgrind.log", "--vgdb=no", "--num-callers=12", "./prog", "--x"}));
  EXPECT_TRUE(run.env.empty());
  ASSERT_EQ(run.logs.size(), 2u);
  EXPECT_EQ(run.logs[0].format, core::LogFormat::Memcheck);
  EXPECT_TRUE(run.logs[0].required);
  EXPECT_TRUE(log_matches(run.logs[0], "memcheck.4242.xml"));
  EXPECT_FALSE(log_matches(run.logs[0], "memcheck.4242.xml.tmp"));
  EXPECT_FALSE(run.logs[1].required);
  EXPECT_TRUE(log_matches(run.logs[1], "valgrind.log"));  // Linked from the report, as every raw log is.
}

TEST(ToolAdapter, ExistingSuppressionFilesArePassedMissingOnesAreNot) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("plumb-supp-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "valgrind.supp") << "";
  std::ofstream(dir / "tsan.supp") << "";
  const ToolInvocation memcheck = adapt_tool(core::Tool::Memcheck, {"p"}, ToolContext{"/o", dir, {}});
  EXPECT_EQ(memcheck.argv[11], "--suppressions=" + (dir / "valgrind.supp").string());
  const ToolInvocation asan = adapt_tool(core::Tool::Asan, {"p"}, ToolContext{"/o", dir, {}});
  EXPECT_EQ(asan.env.at("LSAN_OPTIONS"), "log_path=/o/asan:exitcode=23:print_suppressions=0");
  const ToolInvocation tsan = adapt_tool(core::Tool::Tsan, {"p"}, ToolContext{"/o", dir, {}});
  EXPECT_EQ(tsan.env.at("TSAN_OPTIONS"),
            "log_path=/o/tsan:report_thread_leaks=1:halt_on_error=0:exitcode=66:"
            "second_deadlock_stack=1:print_module_map=1:suppressions=" +
                (dir / "tsan.supp").string());
  std::filesystem::remove_all(dir);
}

TEST(ToolAdapter, MassifWritesItsOutFilePerPidWithDetailedSnapshots) {
  const ToolInvocation run = adapt_tool(core::Tool::Massif, {"prog"}, ToolContext{"/out", "", {}});
  EXPECT_EQ(run.argv, (Strings{"valgrind", "--tool=massif", "--massif-out-file=/out/massif.out.%p",
                               "--detailed-freq=1", "--log-file=/out/valgrind.log", "--vgdb=no", "prog"}));
  EXPECT_EQ(run.logs[0].format, core::LogFormat::Massif);
  EXPECT_TRUE(log_matches(run.logs[0], "massif.out.77"));
}

TEST(ToolAdapter, AsanSetsLogPathsLeakDetectionAndItsExitCode) {
  const ToolInvocation run =
      adapt_tool(core::Tool::Asan, {"prog", "a"}, ToolContext{"/out", "", {"detect_stack_use_after_return=1"}});
  EXPECT_EQ(run.argv, (Strings{"prog", "a"}));
  // One log_path and one exitcode in every *_OPTIONS: a clang build's single runtime reads them
  // all, and a leak must still exit 23 (no halt_on_error=0, which makes it exit 0).
  EXPECT_EQ(run.env.at("ASAN_OPTIONS"),
            "log_path=/out/asan:detect_leaks=1:exitcode=23:handle_abort=1:atexit=1:print_stats=1:"
            "fast_unwind_on_malloc=0:detect_stack_use_after_return=1");
  EXPECT_EQ(run.env.at("LSAN_OPTIONS"), "log_path=/out/asan:exitcode=23:print_suppressions=0");
  EXPECT_EQ(run.env.at("UBSAN_OPTIONS"), "log_path=/out/asan:exitcode=23:print_stacktrace=1");
  ASSERT_EQ(run.logs.size(), 2u);
  EXPECT_EQ(run.logs[0].format, core::LogFormat::Asan);
  EXPECT_TRUE(run.logs[0].required);  // Its exit stats prove the runtime ran, even when clean.
  EXPECT_FALSE(run.logs[0].missing.empty());
  EXPECT_TRUE(log_matches(run.logs[1], "stderr.log"));  // gcc's libubsan writes there.
  EXPECT_TRUE(run.logs[1].foreign);
}

TEST(ToolAdapter, TsanReportsThreadLeaksAndKeepsGoing) {
  const ToolInvocation run = adapt_tool(core::Tool::Tsan, {"prog"}, ToolContext{"/out", "", {}});
  EXPECT_EQ(run.argv, Strings{"prog"});
  EXPECT_EQ(run.env.at("TSAN_OPTIONS"),
            "log_path=/out/tsan:report_thread_leaks=1:halt_on_error=0:exitcode=66:second_deadlock_stack=1:"
            "print_module_map=1");
  EXPECT_EQ(run.logs.at(0).format, core::LogFormat::Tsan);
  EXPECT_TRUE(run.logs.at(0).required);  // print_module_map=1 writes the map whenever the runtime exits.
}

TEST(ToolAdapter, NativeRunsTheCommandBare) {
  const ToolInvocation run = adapt_tool(core::Tool::Native, {"prog", "x"}, ToolContext{"/out", "", {}});
  EXPECT_EQ(run.argv, (Strings{"prog", "x"}));
  EXPECT_TRUE(run.env.empty());
  EXPECT_TRUE(run.logs.empty());
}

TEST(ToolAdapter, TheDoctorsWatchRunsNoProgram) {
  EXPECT_THROW(adapt_tool(core::Tool::Doctor, {"p"}, ToolContext{}), std::logic_error);
}

}  // namespace
}  // namespace plumb::run

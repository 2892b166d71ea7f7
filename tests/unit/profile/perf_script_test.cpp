#include "plumb/profile/perf_script.hpp"

#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "plumb/core/errors.hpp"
#include "test_data.hpp"

namespace plumb::profile {
namespace {

std::size_t sample_headers(std::istream& in) {
  std::size_t headers = 0;
  std::string line;
  while (std::getline(in, line)) {
    headers += !line.empty() && line.front() != '\t' && line.front() != ' ' && line.front() != '#';
  }
  return headers;
}

TEST(PerfScript, EverySampleCountsOnceUnderItsCommand) {
  auto in = testing::open_data("perf-script.txt");
  const auto profile = fold_perf_script(in, "perf-script.txt");
  auto again = testing::open_data("perf-script.txt");
  EXPECT_EQ(profile.total(), sample_headers(again));
  for (const auto& [stack, count] : profile.counts) {
    EXPECT_EQ(stack.front(), "alloc_demo");
  }
}

TEST(PerfScript, FramesAreOutermostFirstWithoutOffsets) {
  auto in = testing::open_data("perf-script.txt");
  const auto profile = fold_perf_script(in, "perf-script.txt");
  std::uint64_t in_work = 0;
  for (const auto& [stack, count] : profile.counts) {
    const auto work = std::find(stack.begin(), stack.end(), "work");
    if (work != stack.end()) {
      in_work += count;
      EXPECT_NE(std::find(stack.begin(), work, "main"), work) << "main is not outside work";
    }
    for (const auto& frame : stack) {
      EXPECT_EQ(frame.find("+0x"), std::string::npos) << frame;
    }
  }
  EXPECT_GT(in_work, profile.total() / 2) << "alloc_demo spends its time in work()";
}

TEST(PerfScript, CommandsWithSpacesAndKernelFrames) {
  const std::string text =
      "my prog 123/124 10.5:     250000 cpu-clock: \n"
      "\tffffffff8100 do_syscall_64+0x71 ([kernel.kallsyms])\n"
      "\t        20d07 write+0x7 (/usr/lib/libc.so.6)\n"
      "\t            0 [unknown] (/usr/bin/prog)\n\n";
  std::istringstream with_kernel(text);
  EXPECT_EQ(fold_perf_script(with_kernel, "t").counts.begin()->first,
            (Stack{"my prog", "[prog]", "write", "do_syscall_64"}));
  std::istringstream without(text);
  PerfFoldOptions options;
  options.include_kernel = false;
  options.include_command = false;
  EXPECT_EQ(fold_perf_script(without, "t", options).counts.begin()->first, (Stack{"[prog]", "write"}));
}

TEST(PerfScript, FrameWithoutHeaderIsAnError) {
  std::istringstream in("\n\t  1234 main+0x1 (/bin/x)\n");
  try {
    fold_perf_script(in, "p.txt");
    FAIL() << "no error";
  } catch (const core::UsageError& error) {
    EXPECT_STREQ(error.what(), "p.txt:2: a stack frame without a sample header before it");
  }
}

}  // namespace
}  // namespace plumb::profile

#include "plumb/doctor/proc_sample.hpp"

#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

namespace plumb::doctor {
namespace {

TEST(ProcSample, StatmResidentIsTheSecondField) {
  EXPECT_EQ(parse_statm_resident_pages("2961 453 389 5 0 135 0\n"), 453u);
  EXPECT_FALSE(parse_statm_resident_pages("2961\n").has_value());
  EXPECT_FALSE(parse_statm_resident_pages("1 x 3").has_value());
}

TEST(ProcSample, StatSurvivesCommandNamesWithParenthesesAndSpaces) {
  const std::string stat =
      "4242 (evil) S (x) R 1 4242 4242 0 -1 4194560 120 0 0 0 37 5 0 0 20 0 3 0 100 1000 200 18446744073709551615";
  const auto fields = parse_stat(stat);
  ASSERT_TRUE(fields.has_value());
  EXPECT_EQ(fields->state, 'R');
  EXPECT_EQ(fields->cpu_ticks, 42u);
  EXPECT_FALSE(parse_stat("4242 (short) S 1 2").has_value());
}

TEST(ProcSample, ReadsThisProcess) {
  std::ifstream statm("/proc/self/statm");
  const std::string text((std::istreambuf_iterator<char>(statm)), {});
  const auto sample = read_proc_sample(getpid(), 1.5);
  ASSERT_TRUE(sample.has_value());
  EXPECT_EQ(sample->seconds, 1.5);
  EXPECT_GT(sample->rss_bytes, 0u);
  EXPECT_GE(sample->threads, 1u);
  EXPECT_GE(sample->fds, 3u);  // stdin, stdout, stderr at least.
  EXPECT_TRUE(can_observe(getpid()));
}

TEST(ProcSample, AMissingProcessIsNotObservable) {
  std::ifstream max_pid("/proc/sys/kernel/pid_max");
  long limit = 0;
  max_pid >> limit;
  const auto beyond = static_cast<pid_t>(limit + 1);  // No process can have this id.
  EXPECT_FALSE(read_proc_sample(beyond, 0).has_value());
  EXPECT_FALSE(can_observe(beyond));
}

}  // namespace
}  // namespace plumb::doctor

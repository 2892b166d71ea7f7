// CTest's cost data, read for a test's native time: the file ctest 3.25 wrote after a run of
// libexpat's suite (one test) and of a suite with a failed test and a name with spaces.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include <unistd.h>

#include "plumb/core/ctest_cost.hpp"

namespace plumb::core {
namespace {

TEST(CtestCostData, ReadsEachTestsAverageTime) {
  // As ctest wrote it in libexpat's build tree after `ctest`.
  const auto costs = parse_ctest_cost_data("runtests 1 36.3673\n---\n");
  ASSERT_EQ(costs.size(), 1U);
  EXPECT_DOUBLE_EQ(costs.at("runtests"), 36.3673);
}

TEST(CtestCostData, StopsAtTheFailedListAndSkipsWhatIsNotARecord) {
  const auto costs = parse_ctest_cost_data(
      "merge 3 0.25\n"
      "two words 2 1.5\n"  // a name with a space: the last two words are the numbers
      "never 0 0\n"        // listed, never run: no time
      "garbage line\n"
      "bad 1 x\n"
      "slow 4 12\n"
      "---\n"
      "slow\n");  // after "---": the tests that failed last, whose cost is no time
  EXPECT_EQ(costs.size(), 2U);
  EXPECT_DOUBLE_EQ(costs.at("merge"), 0.25);
  EXPECT_DOUBLE_EQ(costs.at("two words"), 1.5);
  // As ctest wrote it in libexpat's tree after `ctest --timeout 2` cut runtests.
  EXPECT_TRUE(parse_ctest_cost_data("runtests 1 0\n---\nruntests\n").empty());
}

TEST(CtestCostData, IsReadFromTheBuildTreesTestingFolder) {
  // This process's own folder: two builds' tests running at once never share (or remove) it.
  const std::filesystem::path tree =
      std::filesystem::temp_directory_path() / ("plumb-cost-data-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(tree);
  EXPECT_TRUE(read_ctest_cost_data(tree).empty());
  std::filesystem::create_directories(tree / "Testing" / "Temporary");
  std::ofstream(tree / "Testing" / "Temporary" / "CTestCostData.txt") << "slow 2 120.5\n---\n";
  EXPECT_EQ(ctest_cost_data_path(tree), tree / "Testing/Temporary/CTestCostData.txt");
  EXPECT_DOUBLE_EQ(read_ctest_cost_data(tree).at("slow"), 120.5);
  std::filesystem::remove_all(tree);
}

TEST(CtestCostData, ATestNameBecomesARegexMatchingOnlyIt) {
  EXPECT_EQ(anchored_test_regex("runtests"), "^runtests$");
  EXPECT_EQ(anchored_test_regex("a.b+c(d)"), "^a\\.b\\+c\\(d\\)$");
}

}  // namespace
}  // namespace plumb::core

#include "plumb/stats/median.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace plumb::stats {
namespace {

TEST(Median, OddCountIsTheMiddleValue) {
  const std::vector<double> values{9, 1, 5, 3, 7};
  EXPECT_DOUBLE_EQ(*median(values), 5);
}

TEST(Median, EvenCountIsTheMeanOfTheTwoMiddleValues) {
  const std::vector<double> values{4, 1, 10, 2};
  EXPECT_DOUBLE_EQ(*median(values), 3);
}

TEST(Median, EmptyHasNoMedian) {
  EXPECT_FALSE(median(std::vector<double>{}).has_value());
}

TEST(Median, IgnoresOneHugeOutlier) {
  const std::vector<double> values{1, 2, 3, 4, 1e12};
  EXPECT_DOUBLE_EQ(*median(values), 3);
}

TEST(Median, InPlaceLeavesTheSameValues) {
  std::vector<double> values{3, 1, 2, 5, 4, 6};
  EXPECT_DOUBLE_EQ(*median_in_place(values), 3.5);
  std::sort(values.begin(), values.end());
  EXPECT_EQ(values, (std::vector<double>{1, 2, 3, 4, 5, 6}));
}

TEST(ValueAtRank, InterpolatesBetweenNeighboursAndClamps) {
  const std::vector<double> sorted{10, 20, 30};
  EXPECT_DOUBLE_EQ(*value_at_rank(sorted, 1), 10);
  EXPECT_DOUBLE_EQ(*value_at_rank(sorted, 1.5), 15);
  EXPECT_DOUBLE_EQ(*value_at_rank(sorted, 2.25), 22.5);
  EXPECT_DOUBLE_EQ(*value_at_rank(sorted, 0.2), 10);
  EXPECT_DOUBLE_EQ(*value_at_rank(sorted, 7), 30);
  EXPECT_FALSE(value_at_rank(std::vector<double>{}, 1).has_value());
}

}  // namespace
}  // namespace plumb::stats

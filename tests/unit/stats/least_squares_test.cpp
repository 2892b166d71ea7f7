#include "plumb/stats/least_squares.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace plumb::stats {
namespace {

TEST(LeastSquares, FitsTheLineThroughExactPoints) {
  const std::vector<double> x = {0, 1, 2, 3};
  const std::vector<double> y = {5, 7, 9, 11};
  const Line line = least_squares(x, y);
  EXPECT_DOUBLE_EQ(line.slope, 2.0);
  EXPECT_DOUBLE_EQ(line.intercept, 5.0);
}

TEST(LeastSquares, MinimisesSquaredErrorOverNoisyPoints) {
  // Mean x 1.5, mean y 1.5; sxy = 1, sxx = 5: slope 0.2, intercept 1.5 - 0.2 * 1.5 = 1.2.
  const std::vector<double> x = {0, 1, 2, 3};
  const std::vector<double> y = {1, 2, 1, 2};
  const Line line = least_squares(x, y);
  EXPECT_DOUBLE_EQ(line.slope, 0.2);
  EXPECT_DOUBLE_EQ(line.intercept, 1.2);
}

TEST(LeastSquares, NoSlopeWithoutTwoDistinctX) {
  EXPECT_DOUBLE_EQ(least_squares(std::vector<double>{}, std::vector<double>{}).intercept, 0.0);
  const Line one = least_squares(std::vector<double>{4}, std::vector<double>{9});
  EXPECT_DOUBLE_EQ(one.slope, 0.0);
  EXPECT_DOUBLE_EQ(one.intercept, 9.0);
  const Line same_x = least_squares(std::vector<double>{2, 2}, std::vector<double>{1, 3});
  EXPECT_DOUBLE_EQ(same_x.slope, 0.0);
  EXPECT_DOUBLE_EQ(same_x.intercept, 2.0);
}

}  // namespace
}  // namespace plumb::stats

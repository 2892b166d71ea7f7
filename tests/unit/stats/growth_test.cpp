// The one growth rule: the interval wholly above zero and the slope above the threshold.
#include "plumb/stats/growth.hpp"

#include <vector>

#include <gtest/gtest.h>

namespace plumb::stats {
namespace {

std::vector<double> line(double slope, std::size_t n, double noise) {
  std::vector<double> y;
  for (std::size_t i = 0; i < n; ++i) y.push_back(slope * static_cast<double>(i) + noise * static_cast<double>(i % 3));
  return y;
}

std::vector<double> xs(std::size_t n) {
  std::vector<double> x;
  for (std::size_t i = 0; i < n; ++i) x.push_back(static_cast<double>(i));
  return x;
}

TEST(Growth, ASteadyRiseAboveTheThresholdGrows) {
  const auto judgement = judge_growth(xs(50), line(10, 50, 1), 5);
  ASSERT_TRUE(judgement.fit.has_value());
  EXPECT_TRUE(judgement.grows);
  EXPECT_NEAR(judgement.fit->slope, 10, 0.5);
}

TEST(Growth, ARiseBelowTheThresholdDoesNotGrow) {
  const auto judgement = judge_growth(xs(50), line(10, 50, 1), 20);
  ASSERT_TRUE(judgement.fit.has_value());
  EXPECT_GT(judgement.fit->ci_low, 0);
  EXPECT_FALSE(judgement.grows);
}

TEST(Growth, AnIntervalReachingZeroDoesNotGrowWhateverTheThreshold) {
  // Flat with noise: the slope's interval straddles zero.
  const auto judgement = judge_growth(xs(30), line(0, 30, 100), -1);
  ASSERT_TRUE(judgement.fit.has_value());
  EXPECT_LE(judgement.fit->ci_low, 0);
  EXPECT_FALSE(judgement.grows);
}

TEST(Growth, NothingToFitNeverGrows) {
  const std::vector<double> x = {1, 1, 1};
  const std::vector<double> y = {1, 2, 3};
  const auto judgement = judge_growth(x, y, 0);
  EXPECT_FALSE(judgement.fit.has_value());
  EXPECT_FALSE(judgement.grows);
}

TEST(Growth, AShortWatchNeedsASteepSlope) {
  EXPECT_DOUBLE_EQ(growth_threshold(8, 1024, 2), 512);
  EXPECT_DOUBLE_EQ(growth_threshold(8, 1024, 3600), 8);
  EXPECT_GT(growth_threshold(8, 1024, 0), 1e6);
}

}  // namespace
}  // namespace plumb::stats

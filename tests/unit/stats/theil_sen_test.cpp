#include "plumb/stats/theil_sen.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace plumb::stats {
namespace {

TEST(TheilSen, ExactLineGivesItsSlopeAndInterceptWithAZeroWidthInterval) {
  const std::vector<double> x{1, 2, 3, 4, 5};
  const std::vector<double> y{5, 7, 9, 11, 13};
  const auto fit = theil_sen(x, y);
  ASSERT_TRUE(fit.has_value());
  EXPECT_DOUBLE_EQ(fit->slope, 2);
  EXPECT_DOUBLE_EQ(fit->intercept, 3);
  EXPECT_DOUBLE_EQ(fit->ci_low, 2);
  EXPECT_DOUBLE_EQ(fit->ci_high, 2);
  EXPECT_EQ(fit->samples, 5u);
  EXPECT_EQ(fit->pairs, 10u);
}

// By hand: slopes of (1,1),(2,3),(3,2),(4,5) are {-1, 1/2, 1, 4/3, 2, 3}; the median is 7/6.
// Residuals y - 7/6 x are {-1/6, 4/6, -9/6, 2/6}, whose median is 1/12. Var(S) = 4*3*13/18,
// C = 1.95996 * 2.944 = 5.77, so the ranks (6 - C)/2 = 0.11 and (6 + C)/2 + 1 = 6.89 clamp to
// the extreme slopes -1 and 3.
TEST(TheilSen, HandComputedFourPoints) {
  const std::vector<double> x{1, 2, 3, 4};
  const std::vector<double> y{1, 3, 2, 5};
  const auto fit = theil_sen(x, y);
  ASSERT_TRUE(fit.has_value());
  EXPECT_DOUBLE_EQ(fit->slope, 7.0 / 6.0);
  EXPECT_NEAR(fit->intercept, 1.0 / 12.0, 1e-12);
  EXPECT_DOUBLE_EQ(fit->ci_low, -1);
  EXPECT_DOUBLE_EQ(fit->ci_high, 3);
}

// By hand: x = 1..10, y = x except y(5) = 6 and y(6) = 5 (one swapped pair). Of the 45 slopes,
// 44 are positive and the swapped pair gives -1. Var(S) = 10*9*25/18 = 125, C = 1.95996 *
// sqrt(125) = 21.913, ranks (45 - C)/2 = 11.54 and (45 + C)/2 + 1 = 34.46.
TEST(TheilSen, HandComputedTenPointsWithOneSwap) {
  std::vector<double> x;
  std::vector<double> y;
  for (int i = 1; i <= 10; ++i) {
    x.push_back(i);
    y.push_back(i == 5 ? 6 : i == 6 ? 5 : i);
  }
  const auto fit = theil_sen(x, y);
  ASSERT_TRUE(fit.has_value());
  EXPECT_EQ(fit->pairs, 45u);
  // Slopes from points 5 and 6 to the others: (6-i)/(5-i) and (5-i)/(6-i) bend around 1; the
  // median of all 45 is still exactly 1 (more than half the pairs avoid points 5 and 6).
  EXPECT_DOUBLE_EQ(fit->slope, 1);
  EXPECT_LE(fit->ci_low, 1);
  EXPECT_GE(fit->ci_high, 1);
  EXPECT_GT(fit->ci_low, 0.5);
  EXPECT_LT(fit->ci_high, 1.5);
}

TEST(TheilSen, KendallVarianceWithoutAndWithTies) {
  EXPECT_DOUBLE_EQ(kendall_s_variance(10, {}, {}), 125);
  const std::vector<std::size_t> one_pair{2};
  // (5*4*15 - 2*1*9) / 18 = 282 / 18.
  EXPECT_DOUBLE_EQ(kendall_s_variance(5, {}, one_pair), 282.0 / 18.0);
  // Every y tied: S is always 0, so its variance is 0.
  const std::vector<std::size_t> all{7};
  EXPECT_DOUBLE_EQ(kendall_s_variance(7, {}, all), 0);
}

TEST(TheilSen, ConstantSeriesHasZeroSlopeAndZeroWidthInterval) {
  const std::vector<double> x{0, 10, 20, 30, 40, 50};
  const std::vector<double> y(6, 4096);
  const auto fit = theil_sen(x, y);
  ASSERT_TRUE(fit.has_value());
  EXPECT_EQ(fit->slope, 0);
  EXPECT_EQ(fit->ci_low, 0);
  EXPECT_EQ(fit->ci_high, 0);
  EXPECT_EQ(fit->intercept, 4096);
}

// By hand: slopes of (0,0),(1,1),(2,2),(3,3),(4,100) are 1 six times and 25, 33, 49, 97;
// the median of the ten is 1, where least squares would give 20.
TEST(TheilSen, OneGrossOutlierDoesNotMoveTheSlope) {
  const std::vector<double> x{0, 1, 2, 3, 4};
  const std::vector<double> y{0, 1, 2, 3, 100};
  const auto fit = theil_sen(x, y);
  ASSERT_TRUE(fit.has_value());
  EXPECT_DOUBLE_EQ(fit->slope, 1);
  EXPECT_DOUBLE_EQ(fit->intercept, 0);
}

TEST(TheilSen, TwentyFivePercentOutliersStillGiveTheTrueSlope) {
  std::vector<double> x;
  std::vector<double> y;
  for (int i = 0; i < 40; ++i) {
    x.push_back(i * 10);
    // Every fourth sample is a spike (e.g. a transient allocation caught by the sampler).
    y.push_back(1000 + 8.0 * i * 10 + (i % 4 == 3 ? 1e6 : 0));
  }
  const auto fit = theil_sen(x, y);
  ASSERT_TRUE(fit.has_value());
  // Over half of the pairs join two on-line samples, so the median slope is exactly 8.
  EXPECT_DOUBLE_EQ(fit->slope, 8);
  EXPECT_LE(fit->ci_low, 8);
  EXPECT_GE(fit->ci_high, 8);
}

TEST(TheilSen, RejectsBadInput) {
  const std::vector<double> two{1, 2};
  const std::vector<double> three{1, 2, 3};
  EXPECT_FALSE(theil_sen(two, three).has_value());
  EXPECT_FALSE(theil_sen(std::vector<double>{1}, std::vector<double>{1}).has_value());
  const std::vector<double> same_x{3, 3, 3};
  EXPECT_FALSE(theil_sen(same_x, three).has_value());
  const std::vector<double> with_nan{1, std::numeric_limits<double>::quiet_NaN(), 3};
  EXPECT_FALSE(theil_sen(three, with_nan).has_value());
}

TEST(TheilSen, TiedXPairsAreSkipped) {
  const std::vector<double> x{1, 1, 2, 2};
  const std::vector<double> y{1, 3, 3, 5};
  const auto fit = theil_sen(x, y);
  ASSERT_TRUE(fit.has_value());
  // Slopes between distinct x: (1,1)-(2,3)=2, (1,1)-(2,5)=4, (1,3)-(2,3)=0, (1,3)-(2,5)=2.
  EXPECT_EQ(fit->pairs, 4u);
  EXPECT_DOUBLE_EQ(fit->slope, 2);
}

}  // namespace
}  // namespace plumb::stats

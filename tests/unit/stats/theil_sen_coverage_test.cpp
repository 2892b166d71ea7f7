// Monte Carlo check that Sen's 95% interval covers the true slope about 95% of the time.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "plumb/stats/theil_sen.hpp"

namespace plumb::stats {
namespace {

struct Coverage {
  int covered = 0;
  int trials = 0;
};

// Fits `trials` noisy lines of slope `slope` and counts how often the interval contains it.
template <typename Noise>
Coverage measure_coverage(int trials, int points, double slope, Noise noise, std::uint64_t seed) {
  std::mt19937_64 generator(seed);
  Coverage coverage;
  std::vector<double> x(static_cast<std::size_t>(points));
  std::vector<double> y(static_cast<std::size_t>(points));
  for (int trial = 0; trial < trials; ++trial) {
    for (int i = 0; i < points; ++i) {
      x[static_cast<std::size_t>(i)] = i;
      y[static_cast<std::size_t>(i)] = 50 + slope * i + noise(generator);
    }
    const auto fit = theil_sen(x, y, 0.95);
    if (!fit) continue;
    ++coverage.trials;
    if (fit->ci_low <= slope && slope <= fit->ci_high) ++coverage.covered;
  }
  return coverage;
}

TEST(TheilSenCoverage, GaussianNoiseCoversAboutNinetyFivePercent) {
  std::normal_distribution<double> noise(0, 4);
  const Coverage coverage = measure_coverage(300, 25, 1.5, noise, 20240601);
  ASSERT_EQ(coverage.trials, 300);
  const double rate = static_cast<double>(coverage.covered) / coverage.trials;
  // Binomial(300, 0.95) has a standard deviation of 1.26%; allow about three of them.
  EXPECT_GT(rate, 0.91);
  EXPECT_LE(rate, 0.99);
}

TEST(TheilSenCoverage, HeavyTailedNoiseStillCovers) {
  std::cauchy_distribution<double> noise(0, 2);
  const Coverage coverage = measure_coverage(300, 25, -0.75, noise, 7);
  ASSERT_EQ(coverage.trials, 300);
  const double rate = static_cast<double>(coverage.covered) / coverage.trials;
  EXPECT_GT(rate, 0.91);
  EXPECT_LE(rate, 0.99);
}

TEST(TheilSenCoverage, IntervalExcludesZeroForAClearTrend) {
  std::mt19937_64 generator(99);
  std::normal_distribution<double> noise(0, 1);
  std::vector<double> x;
  std::vector<double> y;
  for (int i = 0; i < 30; ++i) {
    x.push_back(i);
    y.push_back(0.5 * i + noise(generator));
  }
  const auto fit = theil_sen(x, y);
  ASSERT_TRUE(fit.has_value());
  EXPECT_GT(fit->ci_low, 0);
  EXPECT_NEAR(fit->slope, 0.5, 0.15);
}

}  // namespace
}  // namespace plumb::stats

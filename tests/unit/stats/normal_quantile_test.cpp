#include "plumb/stats/normal_quantile.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace plumb::stats {
namespace {

// Reference quantiles from the standard normal table (e.g. Abramowitz & Stegun 26.2).
TEST(NormalQuantile, MatchesTabulatedValues) {
  EXPECT_NEAR(normal_quantile(0.5), 0.0, 1e-12);
  EXPECT_NEAR(normal_quantile(0.975), 1.959963984540054, 1e-9);
  EXPECT_NEAR(normal_quantile(0.95), 1.644853626951473, 1e-9);
  EXPECT_NEAR(normal_quantile(0.995), 2.575829303548901, 1e-9);
  EXPECT_NEAR(normal_quantile(0.8413447460685429), 1.0, 1e-9);
  EXPECT_NEAR(normal_quantile(0.001), -3.090232306167814, 1e-9);
}

TEST(NormalQuantile, IsAntisymmetric) {
  for (const double p : {0.01, 0.1, 0.3, 0.49}) {
    EXPECT_NEAR(normal_quantile(p), -normal_quantile(1 - p), 1e-9) << p;
  }
}

TEST(NormalQuantile, RejectsProbabilitiesOutsideTheOpenInterval) {
  EXPECT_THROW(normal_quantile(0), std::invalid_argument);
  EXPECT_THROW(normal_quantile(1), std::invalid_argument);
  EXPECT_THROW(normal_quantile(-0.5), std::invalid_argument);
}

}  // namespace
}  // namespace plumb::stats

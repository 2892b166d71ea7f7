#pragma once

namespace plumb::stats {

// The standard normal quantile z with P(Z <= z) = p, for 0 < p < 1 (Acklam's rational
// approximation refined by one Halley step; absolute error below 1e-12). Throws
// std::invalid_argument outside (0, 1).
double normal_quantile(double p);

}  // namespace plumb::stats

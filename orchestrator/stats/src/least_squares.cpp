#include "plumb/stats/least_squares.hpp"

#include <algorithm>

namespace plumb::stats {

Line least_squares(std::span<const double> x, std::span<const double> y) {
  const std::size_t n = std::min(x.size(), y.size());
  if (n == 0) {
    return {};
  }
  double mean_x = 0;
  double mean_y = 0;
  for (std::size_t i = 0; i < n; ++i) {
    mean_x += x[i];
    mean_y += y[i];
  }
  mean_x /= static_cast<double>(n);
  mean_y /= static_cast<double>(n);
  double sxy = 0;
  double sxx = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sxy += (x[i] - mean_x) * (y[i] - mean_y);
    sxx += (x[i] - mean_x) * (x[i] - mean_x);
  }
  if (n < 2 || sxx == 0) {
    return {0.0, mean_y};
  }
  const double slope = sxy / sxx;
  return {slope, mean_y - slope * mean_x};
}

}  // namespace plumb::stats

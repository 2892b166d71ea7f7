// Ordinary least squares: the line through a tool's own few points (massif's snapshots), where
// there are too few of them for a robust fit to say more.
#pragma once

#include <span>

namespace plumb::stats {

// A straight line y = intercept + slope * x.
struct Line {
  double slope = 0;
  double intercept = 0;
};

// The least-squares line of `y` against `x` (spans of equal length). With fewer than two points,
// or no two distinct x, the slope is 0 and the intercept the mean of y (0 when there is none).
Line least_squares(std::span<const double> x, std::span<const double> y);

}  // namespace plumb::stats

#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include <plumb/stats/theil_sen.hpp>

#include "plumb/harness/bounded_series.hpp"

namespace plumb::harness {

// One metric's fitted slope and its verdict against the threshold.
struct SeriesVerdict {
  std::string metric;  // rss, heap, threads, fds, cache_bytes
  std::string unit;    // bytes or count
  double slope = 0;
  double intercept = 0;
  double ci_low = 0;
  double ci_high = 0;
  double threshold = 0;
  std::size_t samples = 0;
  bool fail = false;
};

// Fits a Theil-Sen line with Sen's 95% interval to `series`. The verdict fails when the slope
// exceeds `threshold` AND the interval's lower end is above zero (growth that is both large
// enough to matter and statistically significant). Fewer than 3 points never fail. The fit's
// scratch memory comes from `workspace` so that repeated judging does not allocate.
SeriesVerdict judge_series(const std::string& metric, const std::string& unit, const BoundedSeries& series,
                           double threshold, stats::TheilSenWorkspace& workspace);

}  // namespace plumb::harness

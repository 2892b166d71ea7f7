// One growth series as an inline SVG chart: samples, fitted line, confidence band, threshold.
#pragma once

#include <string>

#include "plumb/core/model.hpp"

namespace plumb::reports {

// The chart of `series`; `chart_id` must be unique in the page (it names the clip path).
//
// What is drawn: the samples (value against the series' axis); the fitted line intercept + slope·x; the
// confidence band between the lines of slope ci_low and ci_high through the median sample point
// (median iteration, median value), which is where a robust (Theil–Sen) fit pivots; and the
// threshold as a dashed line of slope `threshold` starting from the fitted value at the first
// sample, i.e. the highest growth the gate would accept.
std::string render_growth_chart(const core::GrowthSeries& series, const std::string& chart_id);

}  // namespace plumb::reports

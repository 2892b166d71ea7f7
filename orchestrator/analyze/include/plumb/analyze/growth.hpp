// A failing growth series as a finding: the one builder of growth findings.
#pragma once

#include <string>

#include "plumb/core/model.hpp"

namespace plumb::analyze {

// The finding a failing series is, so it can be suppressed or baselined like any other: its kind
// from the metric table (core::growth_kind), named by its metric (and its growing sites, largest
// slope first, as frames), seen by `tool` in the series' variant, its message the slope against the
// threshold. A tool that knows more (the doctor's stack of a growing site) adds it to what this gives.
core::Finding growth_finding(const core::GrowthSeries& series, core::Reporter tool);

}  // namespace plumb::analyze

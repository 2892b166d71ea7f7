// Combining the per-variant reports of a CI matrix into one report.
#pragma once

#include <vector>

#include "plumb/analyze/gate.hpp"
#include "plumb/core/model.hpp"

namespace plumb::analyze {

// Concatenates variants (a duplicate name is a core::UsageError), re-deduplicates findings by
// fingerprint (tools/variants unioned, the most severe status wins: new > baseline > suppressed),
// concatenates growth, sums suppression hits (stale only when no report had a hit), keeps every
// input's run-level errors (an input whose verdict is error stays an error), then gates.
core::Report merge_reports(std::vector<core::Report> reports, const GatePolicy& policy);

}  // namespace plumb::analyze

// Merging findings that are the same defect seen by several tools, variants or call paths.
#pragma once

#include <vector>

#include "plumb/core/model.hpp"

namespace plumb::analyze {

// Merges findings with equal fingerprints (which must be set) into one: tools and variants are
// unioned; bytes/blocks are summed within one (tool, variant) and, across them, the largest
// (tool, variant) total is kept, so per-kind sums still equal any one tool's own summary.
// The most severe status wins (new > baseline > suppressed) with its suppression id; the first
// finding's frames and message are kept; order of first appearance is preserved.
std::vector<core::Finding> deduplicate(std::vector<core::Finding> findings);

// Report order, the one every renderer shows: by the gate's disposition (gating, not gating, canary,
// baseline, suppressed), then kind, then bytes (largest first), then fingerprint.
void sort_findings(std::vector<core::Finding>& findings);

}  // namespace plumb::analyze

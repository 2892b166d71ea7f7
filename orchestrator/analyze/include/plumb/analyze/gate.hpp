// The gate: which findings and which variant outcomes fail the run, and the exit code.
#pragma once

#include <set>

#include "plumb/core/model.hpp"

namespace plumb::analyze {

// What fails the gate.
struct GatePolicy {
  std::set<core::FindingKind> gating_kinds;  // New findings of these kinds fail.
  bool fail_on_growth = true;                // A growth series with verdict "fail" fails.
};

// Every kind except leak.reachable gates; growth gates.
GatePolicy default_gate_policy();

// Whether a variant makes the run an infrastructure failure: status timeout, crashed or
// incomplete (no parseable or cut-off output), or a canary that found nothing (see analyze.hpp).
bool is_infrastructure_failure(const core::VariantResult& variant);

// Sets report.verdict ("pass"/"fail") and report.gate_reasons (one line per reason).
void apply_gate(core::Report& report, const GatePolicy& policy);

// 0 pass; 3 when any variant is an infrastructure failure; otherwise 1 when the verdict is fail.
int exit_code(const core::Report& report);

}  // namespace plumb::analyze

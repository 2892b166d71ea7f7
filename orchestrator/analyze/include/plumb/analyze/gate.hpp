// The gate: the one place that decides, for every finding, growth series and variant, whether it
// fails the run, and from that the report's verdict. Renderers only read what it decided.
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

// Whether a finding of this kind proves a canary's tool alive: a lost allocation, thread or fd, or growth.
bool proves_canary_alive(core::FindingKind kind);

// Decides everything, in this order:
// - each finding's disposition: suppressed, baseline, canary-expected (every variant that saw it is
//   a canary), kind-not-gating, or gating;
// - the report order of the findings (sort_findings: gating first) and report.sites, the findings
//   grouped by site (core::group_sites), which every renderer reads;
// - each growth series' `gating` (verdict fail, growth gates, not a canary's, its finding gating);
// - each variant's `caught` (a canary's findings of a kind that proves its tool alive) and verdict:
//   error when it has errors, ended timeout/crashed/incomplete/skipped, could not run its command
//   (exit 126/127 without findings) or is a silent canary; fail when it has a gating finding or
//   series, or failed without any finding; pass otherwise;
// - report.verdict: error when any reason is an error, fail when any is a failure, else pass;
//   report.reasons lists them, errors first.
void apply_gate(core::Report& report, const GatePolicy& policy);

// Whether a variant carries its own reason to be an error: errors recorded by analysis, or a
// status of timeout, crashed, incomplete or skipped (the silent-canary rule needs the findings).
bool cannot_be_judged(const core::VariantResult& variant);

// The exit code of the report's verdict: 0 pass, 1 fail, 3 error.
int exit_code(const core::Report& report);

}  // namespace plumb::analyze

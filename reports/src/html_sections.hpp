// The sections of report.html, each rendered server-side so the page reads without JavaScript.
#pragma once

#include <string>

#include "plumb/core/model.hpp"

namespace plumb::reports {

// The id of a finding's entry in the findings section ("finding-" and the first 16 letters and
// digits of its fingerprint), so other sections can link to it.
std::string finding_anchor(const core::Finding& finding);

// The variants table (a CTest variant: a heading row, then one row per test with its findings): tool,
// verdict, status, duration, exit code, repro command with copy button, log links.
std::string render_variants_section(const core::Report& report);

// The canary variants: what each caught (green) or that it stayed silent (an error).
std::string render_canaries_section(const core::Report& report);

// Findings grouped by fingerprint (new first), with counts per kind, filters and stacks.
std::string render_findings_section(const core::Report& report);

// Per variant, one chart per growth series and the massif sites ranked by slope.
std::string render_growth_section(const core::Report& report);

// Suppressions used (with hits), stale and expired.
std::string render_suppressions_section(const core::Report& report);

}  // namespace plumb::reports

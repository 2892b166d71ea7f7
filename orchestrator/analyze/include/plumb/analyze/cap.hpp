// The report's bound: at most a number of distinct findings per kind listed in full.
#pragma once

#include <cstddef>

#include "plumb/core/model.hpp"

namespace plumb::analyze {

// The default of project.max_findings_per_kind.
inline constexpr std::size_t kDefaultMaxFindingsPerKind = 500;

// Keeps at most `cap` findings of each kind (0: no cap): new ones first, then the largest (bytes,
// then occurrences). The rest of a kind are counted in report.truncated, never listed, so the
// report's size follows the cap and not the log. Call after suppressions and the baseline set
// each finding's status and before the gate: a kind with a new finding keeps one listed.
void cap_findings(core::Report& report, std::size_t cap);

}  // namespace plumb::analyze

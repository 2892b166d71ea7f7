// Tool arguments that switch off what a tool detects (detect_leaks=0, --leak-check=no, ...): a run
// that cannot see what its gate asks for must say so, or be refused.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "plumb/core/model.hpp"

namespace plumb::run {

// One argument of a run's tool_args that switches detection off, and what the run then cannot see.
struct DisabledDetection {
  std::string arg;                       // As given, e.g. "detect_leaks=0".
  std::vector<core::FindingKind> kinds;  // The kinds `tool` no longer reports with it.
};

// The arguments among `tool_args` that switch off detection under `tool` (the last setting of an
// option wins, as the tool reads them): memcheck's --leak-check=no|summary, --show-leak-kinds=none,
// --track-fds=no; ASan's detect_leaks=0; TSan's report_bugs=0, report_thread_leaks=0,
// detect_deadlocks=0.
std::vector<DisabledDetection> disabled_detection(core::Tool tool, const std::vector<std::string>& tool_args);

// One line per argument for the report, "detection off: detect_leaks=0 (leak.definite, ...)";
// throws core::UsageError naming `who` ("variant 'v'", "plumb exec") when one hides a kind of
// `gating_kinds` and `allowed` is false (allow_disabled_detection not set).
std::vector<std::string> check_disabled_detection(core::Tool tool,
                                                  const std::vector<std::string>& tool_args,
                                                  const std::set<core::FindingKind>& gating_kinds,
                                                  bool allowed, const std::string& who,
                                                  const std::string& how_to_allow);

}  // namespace plumb::run

// Callgrind output to folded stacks. Callgrind records a call graph, not stacks; run it with
// --separate-callers=N and every function context is named "callee'caller'caller2...", so the
// exclusive cost of each context is exactly the cost of one stack (truncated at N callers).
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "plumb/profile/folded.hpp"

namespace plumb::profile {

// A callgrind profile folded on one event.
struct CallgrindProfile {
  std::vector<std::string> events;  // From the "events:" line, e.g. {"Ir"}.
  std::string event;                // The event folded into `folded`.
  std::uint64_t summary = 0;        // The file's own total of `event` ("summary:" or "totals:").
  FoldedProfile folded;             // Exclusive cost of `event` per stack.
};

// Folds callgrind.out text on `event` (empty: the first event). Throws core::UsageError naming
// `source`:line on an unknown event or a cost line before any "fn=".
CallgrindProfile fold_callgrind(std::istream& in, const std::string& source, const std::string& event = "");

}  // namespace plumb::profile

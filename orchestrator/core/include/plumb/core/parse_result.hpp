// What one parser returns for one log: the model pieces it found and how complete the log was.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "plumb/core/model.hpp"

namespace plumb::core {

// A suppression the tool itself applied (memcheck <suppcounts>), with its count.
struct ToolSuppressionCount {
  std::string name;
  std::uint64_t count = 0;
};

// The result of parsing one tool log.
struct ParseResult {
  std::vector<Finding> findings;
  std::vector<GrowthSeries> growth;
  std::vector<ToolSuppressionCount> tool_suppressions;
  bool complete = true;           // False when the log was cut off or disagrees with the tool's own account.
  std::string incomplete_reason;  // When not complete: what is missing or disagrees, in one line.
  bool left_tool =
      false;  // Cut before the tool ran anything: a forked child that exec'd, or a tool killed at start.
  std::string pid;                    // The process the log is of, when the tool names it (memcheck <pid>).
  std::string ppid;                   // Its parent's pid, when the tool names it.
  bool recognised = false;            // True when the input looked like this tool's output at all.
  std::vector<std::string> warnings;  // Non-fatal oddities, with line numbers where known.
};

}  // namespace plumb::core

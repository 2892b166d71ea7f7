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
  bool complete = true;        // False when the log was cut off (e.g. the process was killed).
  bool recognised = false;     // True when the input looked like this tool's output at all.
  std::vector<std::string> warnings;  // Non-fatal oddities, with line numbers where known.
};

}  // namespace plumb::core

// What running (or reading the logs of) one variant produced, before analysis.
#pragma once

#include <string>
#include <vector>

#include "plumb/core/model.hpp"
#include "plumb/core/parse_result.hpp"

namespace plumb::core {

// One log file and what its parser made of it.
struct ParsedLog {
  std::string path;  // As it will be linked from the report.
  std::string tool;  // The parser used: memcheck, massif, asan, lsan, tsan, ubsan, samples.
  ParseResult result;
};

// One variant: how its process ended and every log it left, parsed.
struct VariantOutcome {
  VariantResult result;
  std::vector<ParsedLog> logs;
  bool expects_output = true;  // A tool run that leaves no parseable log is an infrastructure failure.
};

}  // namespace plumb::core

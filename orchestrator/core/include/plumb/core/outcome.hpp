// What running (or reading the logs of) one variant produced, before analysis.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "plumb/core/model.hpp"
#include "plumb/core/parse_result.hpp"

namespace plumb::core {

// One log file and what its parser made of it.
struct ParsedLog {
  std::string path;      // As it will be linked from the report.
  std::optional<LogFormat> format;       // The parser that read it; nullopt: made by plumb (the doctor's).
  Reporter reporter = Reporter::Native;  // Whose words it holds: its format's (memcheck, lsan, samples, ...),
                                         // or the doctor's watch and heaptrack's trace.
  bool foreign = false;  // A log that may hold other text (the program's stderr): unrecognised is no error.
  ParseResult result;
};

// One variant: how its process ended and every log it left, parsed.
struct VariantOutcome {
  VariantResult result;
  std::vector<ParsedLog> logs;
  bool expects_output = true;    // A tool run that leaves no parseable log is an infrastructure failure.
  int signal = 0;                // The signal that ended the program (not plumb's own kill); 0 for none.
  bool exit_code_only = false;   // Its variant is judged by its exit code alone (no tool, no samples).
  bool killed_by_plumb = false;  // plumb ended it (timeout, stop): reports the kill set off are not findings.
  std::vector<std::string>
      errors;  // Why it cannot be judged, known before its logs are read (e.g. a failed build).
};

}  // namespace plumb::core

// Tool adapters: a command and a tool in, the argv, environment and log files of the run out.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plumb/core/tools.hpp"

namespace plumb::run {

// Files in a run's output folder named PREFIX...SUFFIX, and the format their parser reads
// (nullopt: kept as a log, not parsed).
struct LogSpec {
  std::string prefix;
  std::string suffix;
  std::optional<core::LogFormat> format;
  bool required = false;  // A run that leaves none of these produced no usable output.
  bool foreign = false;   // May hold other text (the program's stderr): unrecognised is no error.
  std::string missing;    // What it means when a required log is missing, for the report.
};

// The command wrapped in its tool.
struct ToolInvocation {
  std::vector<std::string> argv;
  std::map<std::string, std::string> env;
  std::vector<LogSpec> logs;
};

// Where the tool writes and which native suppression files it reads.
struct ToolContext {
  std::filesystem::path out_dir;              // Absolute; the tool's logs go here.
  std::filesystem::path native_suppressions;  // Folder of valgrind.supp, lsan.supp, ubsan.supp, tsan.supp.
  std::vector<std::string> tool_args;         // Extra valgrind options, or KEY=VALUE *SAN options.
  bool follow_children = false;               // Valgrind follows every program the command execs.
};

// Wraps `command` in `tool` (one that runs programs: core::InternalError for the doctor's).
// Suppression files that do not exist are left out.
ToolInvocation adapt_tool(core::Tool tool, const std::vector<std::string>& command, const ToolContext& context);

// Whether `name` (a file name in a run's folder) is one of `spec`'s files.
bool log_matches(const LogSpec& spec, std::string_view name);

}  // namespace plumb::run

// Running planned variants in parallel, each in its own process group, with progress lines.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "plumb/core/model.hpp"
#include "plumb/run/plan.hpp"
#include "plumb/run/process.hpp"

namespace plumb::run {

// One log file a run left and the parser meant for it.
struct FoundLog {
  std::filesystem::path path;  // Absolute.
  std::string relative;        // Relative to the report folder, as the report links it.
  std::optional<core::LogFormat> format;  // Its parser's; nullopt: not parsed.
  bool foreign = false;        // May hold other text; unrecognised is no error (LogSpec::foreign).
};

// How one planned run went, before its logs are parsed.
struct FinishedRun {
  core::VariantResult result;  // Status from the process and the presence of required logs.
  std::vector<FoundLog> logs;
  bool expects_output = false;           // It has required logs.
  int signal = 0;                        // The signal that ended it, when not killed by plumb.
  bool killed_by_plumb = false;          // plumb ended it (its timeout, or a stop request).
  std::vector<std::string> missing;      // Required logs it did not write, one line each.
  bool exit_code_only = false;           // Judged by its exit code alone (PlannedRun::exit_code_only).
  std::vector<std::string> left_behind;  // Processes that outlived its group, "pid N (command)"; killed.
};

// How to schedule.
struct SchedulerOptions {
  int jobs = 1;
  std::filesystem::path report_dir;            // Logs are reported relative to it.
  std::ostream* progress = nullptr;            // Progress lines; nullptr for none.
  std::chrono::milliseconds heartbeat{10000};  // When to first say what is still running; each later
                                               // gap doubles, up to 5 minutes.
  std::chrono::milliseconds kill_grace{5000};  // SIGTERM-to-SIGKILL wait on timeout or stop.
  std::chrono::milliseconds poll_interval{25};
  std::function<bool()> stop_requested;  // True once plumb is asked to stop.
};

// Runs every plan (at most options.jobs at once; each run's out_dir is emptied before it starts) and returns
// their results in plan order. A timeout kills the run's group (status timeout); a stop request kills every
// running group (status incomplete) and skips the rest (status skipped). Missing required logs are listed
// in FinishedRun::missing; what they mean is analysis's to decide.
std::vector<FinishedRun> run_variants(ProcessRunner& runner, const std::vector<PlannedRun>& plans,
                                      const SchedulerOptions& options);

// "1m05s"-style elapsed time for progress lines.
std::string format_elapsed(double seconds);

}  // namespace plumb::run

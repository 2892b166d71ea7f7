// The pipeline every report-producing subcommand shares: plan → build → run → parse → analyze →
// publish. It takes the process runner as a parameter, so a fake runner drives it end to end.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "plumb/analyze/analyze.hpp"
#include "plumb/core/config.hpp"
#include "plumb/core/outcome.hpp"
#include "plumb/core/output_dir.hpp"
#include "plumb/run/build.hpp"
#include "plumb/run/plan.hpp"
#include "plumb/run/process.hpp"
#include "plumb/run/scheduler.hpp"
#include "plumb/pipeline/shard.hpp"

namespace plumb::pipeline {

// Where reports go when --out is not given (relative to the working directory).
inline constexpr const char* kDefaultReportDir = "plumb-report";

// The plumb this is, "0.1.0 (git <revision>)": the version every report file names.
std::string plumb_version();

// The config named by `config_path`, else ./plumb.toml; a missing or malformed file is a UsageError.
core::Config load_project_config(const std::string& config_path);

// The config when `config_path` is given or ./plumb.toml exists; nullopt otherwise.
std::optional<core::Config> load_optional_config(const std::string& config_path);

// Suppressions, baseline and gate from the config (files that do not exist count as empty).
analyze::AnalysisInputs analysis_inputs(const std::optional<core::Config>& config);

// One log file parsed by the parser of `format`; an unreadable file is an InfrastructureError.
core::ParsedLog parse_log_file(const std::filesystem::path& path, const std::string& relative,
                               core::LogFormat format);

// A finished run of `plan` with its logs parsed; the signal that ended it is passed on for analysis.
// When the plan follows children, a wrapper's own memcheck log is kept, linked, and not judged.
core::VariantOutcome to_outcome(const run::FinishedRun& run, const run::PlannedRun& plan);

// A test's native time and the CTest cost data file it was read from.
struct NativeTime {
  double seconds = 0;
  std::string where;
};

// Each test's native time from CTest's cost data in the build trees of `runs`, then of every
// variant of `config` (may be nullptr), whose tool instruments nothing (memcheck, massif, native;
// a sanitizer tree's times are not native); the first tree's where two know a test.
std::map<std::string, NativeTime> native_times(const std::vector<run::PlannedRun>& runs,
                                               const core::Config* config);

// Gives each CTest test of `finished` that timed out the time of a passing native run of the same
// test in this report (better evidence than cost data), and says so in its note.
void add_native_runs(std::vector<run::FinishedRun>& finished);

// Everything one pipeline run needs besides the process runner.
struct Plan {
  std::vector<run::PlannedRun> runs;      // What to run, in report order.
  const core::Config* config = nullptr;   // The project, for builds; nullptr: nothing to build.
  std::vector<run::BuildRequest> builds;  // Presets to configure and build first.
  std::filesystem::path out_dir;          // The report folder, absolute.
  core::ReportFolderRules out_rules;      // What the report folder must not be (the project root...).
  analyze::AnalysisInputs inputs;         // Suppressions, baseline, gate.
  int jobs = 1;                           // Variants run at once.
  std::optional<ShardRequest> shard;      // Run only this shard's part of the plan, and record it.
};

// How the pipeline talks to the world while it runs.
struct Hooks {
  std::ostream* progress = nullptr;            // Progress lines; nullptr for none.
  std::function<bool()> stop_requested;        // True once plumb is asked to stop.
  std::chrono::milliseconds heartbeat{10000};  // The first "still running" gap (later ones double).
  std::chrono::milliseconds kill_grace{5000};  // SIGTERM-to-SIGKILL wait on timeout or stop.
  std::chrono::milliseconds poll_interval{50};  // The longest wait between looks at the runs (timeouts,
                                               // heartbeats); the system runner wakes when one ends.
};

// Builds the plan's presets (a failed preset's variants are not run: each is an error naming
// the build log), runs the rest, parses their logs and analyzes them into the gated report.
// A stop request ends it early; the report then says so and its verdict is error. With a shard,
// every preset is built and every suite listed, but only the shard's runs run; the report
// records the whole plan and how its runs ended (Report::shard) for plumb merge.
core::Report execute(const Plan& plan, run::ProcessRunner& runner, const Hooks& hooks);

// Writes the report set into `out_dir` and prints the summary to `terminal` (coloured when
// `color`); returns the exit code of the report's verdict.
int publish(const core::Report& report, const std::filesystem::path& out_dir, std::ostream& terminal,
            bool color);

}  // namespace plumb::pipeline

// The shared tail of every subcommand that produces a report: parse logs, analyze, write, print.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "plumb/analyze/analyze.hpp"
#include "plumb/core/config.hpp"
#include "plumb/core/outcome.hpp"
#include "plumb/run/scheduler.hpp"

namespace plumb::cli {

// Where reports go when --out is not given (relative to the working directory).
inline constexpr const char* kDefaultReportDir = "plumb-report";

// The config named by --config, else ./plumb.toml; a missing or malformed file is a UsageError.
core::Config load_project_config(const std::string& config_path);

// The config when --config was given or ./plumb.toml exists; nullopt otherwise.
std::optional<core::Config> load_optional_config(const std::string& config_path);

// Suppressions, baseline and gate from the config (files that do not exist count as empty).
analyze::AnalysisInputs analysis_inputs(const std::optional<core::Config>& config);

// One log file parsed with `parser`; an unreadable file is an InfrastructureError.
core::ParsedLog parse_log_file(const std::filesystem::path& path, const std::string& relative,
                               const std::string& parser);

// A finished run with its logs parsed, plus a crash finding when a signal killed it and no
// tool reported the crash itself.
core::VariantOutcome to_outcome(const run::FinishedRun& run);

// Analyzes, writes every report into `out_dir`, prints the summary to stdout; returns the exit code.
int publish(std::vector<core::VariantOutcome> outcomes, const analyze::AnalysisInputs& inputs,
            const std::filesystem::path& out_dir);

// Writes an already analyzed report and prints its summary; returns the exit code.
int publish_report(const core::Report& report, const std::filesystem::path& out_dir);

}  // namespace plumb::cli

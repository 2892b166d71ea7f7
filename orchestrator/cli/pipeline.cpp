#include "pipeline.hpp"

#include <unistd.h>

#include <cstring>
#include <fstream>
#include <iostream>

#include "plumb/analyze/baseline.hpp"
#include "plumb/analyze/gate.hpp"
#include "plumb/analyze/suppressions.hpp"
#include "plumb/core/errors.hpp"
#include "plumb/parse/parse.hpp"
#include "plumb/reports/terminal.hpp"
#include "plumb/reports/write.hpp"

namespace plumb::cli {

core::Config load_project_config(const std::string& config_path) {
  const std::filesystem::path path =
      config_path.empty() ? std::filesystem::path("plumb.toml") : std::filesystem::path(config_path);
  return core::load_config(path);
}

std::optional<core::Config> load_optional_config(const std::string& config_path) {
  if (config_path.empty() && !std::filesystem::exists("plumb.toml")) {
    return std::nullopt;
  }
  return load_project_config(config_path);
}

analyze::AnalysisInputs analysis_inputs(const std::optional<core::Config>& config) {
  analyze::AnalysisInputs inputs;
  inputs.today = analyze::today_utc();
  if (!config) {
    return inputs;
  }
  const std::filesystem::path suppressions = config->root / config->project.suppressions;
  if (std::filesystem::exists(suppressions)) {
    inputs.suppressions = analyze::load_suppressions(suppressions);
  }
  inputs.baseline = analyze::load_baseline(config->root / config->project.baseline);
  inputs.policy.gating_kinds = config->gate.gating_kinds;
  inputs.policy.fail_on_growth = config->gate.fail_on_growth;
  return inputs;
}

core::ParsedLog parse_log_file(const std::filesystem::path& path, const std::string& relative,
                               const std::string& parser) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw core::InfrastructureError(path.string() + ": cannot read the log: " + std::strerror(errno));
  }
  core::ParsedLog log;
  log.path = relative;
  log.tool = parser;
  log.result = parse::parse_log(parser, in);
  return log;
}

core::VariantOutcome to_outcome(const run::FinishedRun& run) {
  core::VariantOutcome outcome;
  outcome.result = run.result;
  outcome.expects_output = run.expects_output;
  bool crash_reported = false;
  for (const run::FoundLog& found : run.logs) {
    if (found.parser.empty()) {
      continue;
    }
    core::ParsedLog log = parse_log_file(found.path, found.relative, found.parser);
    for (const core::Finding& finding : log.result.findings) {
      crash_reported = crash_reported || finding.kind == core::FindingKind::Crash;
    }
    outcome.logs.push_back(std::move(log));
  }
  if (run.signal != 0 && !crash_reported) {
    core::ParsedLog log;
    log.path = run.result.name + "/stderr.log";
    log.tool = run.result.tool;
    log.result.recognised = true;
    core::Finding crash;
    crash.kind = core::FindingKind::Crash;
    crash.detail =
        std::string("SIG") + (sigabbrev_np(run.signal) != nullptr ? sigabbrev_np(run.signal) : "?");
    crash.tools = {run.result.tool};
    crash.message =
        "the program was killed by signal " + std::to_string(run.signal) + " (" + strsignal(run.signal) + ")";
    log.result.findings.push_back(std::move(crash));
    outcome.logs.push_back(std::move(log));
  }
  return outcome;
}

int publish_report(const core::Report& report, const std::filesystem::path& out_dir) {
  reports::write_reports(report, out_dir);
  std::cout << reports::render_terminal_summary(report, reports::detect_terminal_style(STDOUT_FILENO),
                                                out_dir.string())
            << std::flush;
  return analyze::exit_code(report);
}

int publish(std::vector<core::VariantOutcome> outcomes, const analyze::AnalysisInputs& inputs,
            const std::filesystem::path& out_dir) {
  return publish_report(analyze::analyze(std::move(outcomes), inputs), out_dir);
}

}  // namespace plumb::cli

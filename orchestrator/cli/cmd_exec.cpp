// plumb exec: any command under one tool, with the same logs, analysis and reports as a variant.
#include <cstdlib>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "pipeline.hpp"
#include "plumb/core/atomic_file.hpp"
#include "plumb/core/errors.hpp"
#include "plumb/run/interrupt.hpp"
#include "plumb/run/plan.hpp"
#include "plumb/run/scheduler.hpp"
#include "plumb/run/system_runner.hpp"

namespace plumb::cli {
namespace {

// CLI11's own NonNegativeNumber names the largest double in its message; this one says what it wants.
const CLI::Validator kNonNegative(
    [](std::string& value) -> std::string {
      char* end = nullptr;
      const double number = std::strtod(value.c_str(), &end);
      if (end == value.c_str() || *end != '\0' || !(number >= 0)) {
        return "must be a number >= 0, got '" + value + "'";
      }
      return {};
    },
    "NUMBER>=0", "non-negative");

struct ExecOptions {
  std::string tool;
  double timeout_s = 0;
  std::string out = kDefaultReportDir;
  std::string name;
  std::string config;
  std::vector<std::string> command;
};

int exec(const ExecOptions& options) {
  const std::optional<core::Config> config = load_optional_config(options.config);
  const analyze::AnalysisInputs inputs = analysis_inputs(config);
  const std::filesystem::path out_dir = std::filesystem::absolute(options.out);
  const std::filesystem::path native_suppressions =
      (config ? config->root : std::filesystem::current_path()) / "suppressions" / "native";
  const std::string name = options.name.empty() ? "exec-" + options.tool : options.name;
  const run::PlannedRun plan =
      run::plan_command(name, options.tool, options.command, options.timeout_s, out_dir, native_suppressions);
  core::ensure_writable_directory(out_dir);
  run::install_interrupt_handlers();
  const std::unique_ptr<run::ProcessRunner> runner = run::make_system_runner();
  run::SchedulerOptions scheduling;
  scheduling.report_dir = out_dir;
  scheduling.progress = &std::cerr;
  scheduling.stop_requested = run::interrupt_requested;
  const std::vector<run::FinishedRun> finished = run::run_variants(*runner, {plan}, scheduling);
  std::vector<core::VariantOutcome> outcomes;
  for (const run::FinishedRun& run : finished) {
    outcomes.push_back(to_outcome(run));
  }
  const int code = publish(std::move(outcomes), inputs, out_dir);
  return run::interrupt_requested() ? core::kExitInfrastructure : code;
}

}  // namespace

void add_exec_command(CLI::App& app, Action& selected) {
  auto options = std::make_shared<ExecOptions>();
  CLI::App* command = app.add_subcommand("exec", "Run one command under one tool and report");
  command->add_option("--tool", options->tool, "memcheck, massif, asan, tsan or native")
      ->required()
      ->check(CLI::IsMember({"memcheck", "massif", "asan", "tsan", "native"}));
  command->add_option("--timeout", options->timeout_s, "Seconds before the process group is killed (0: none)")
      ->check(kNonNegative);
  command->add_option("--out", options->out, "Report folder")->capture_default_str();
  command->add_option("--name", options->name, "Variant name in the report (default exec-TOOL)");
  command->add_option("--config", options->config, "Configuration file for suppressions, baseline and gate");
  command->add_option("command", options->command, "-- CMD ARGS...")->required();
  command->callback([&selected, options] { selected = [options] { return exec(*options); }; });
}

}  // namespace plumb::cli

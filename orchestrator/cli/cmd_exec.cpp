// plumb exec: any command under one tool, with the same logs, analysis and reports as a variant.
#include <cstdlib>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "pipeline.hpp"
#include "plumb/core/errors.hpp"
#include "plumb/core/tools.hpp"
#include "plumb/run/disabled_detection.hpp"
#include "plumb/run/plan.hpp"

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
  bool exit_code_only = false;
  bool allow_disabled_detection = false;
  std::vector<std::string> tool_args;
  std::vector<std::string> command;
};

int exec(const ExecOptions& options) {
  const std::optional<core::Config> config = load_optional_config(options.config);
  pipeline::Plan plan;
  plan.inputs = analysis_inputs(config);
  plan.out_dir = std::filesystem::absolute(options.out);
  if (config) {
    plan.out_rules.reserved = {
        {config->root,
         "the project root (it holds " + std::filesystem::path(config->source).filename().string() + ")"},
        {config->root / config->project.build_dir, "the root of the build trees"}};
  }
  const std::filesystem::path native_suppressions =
      config ? config->root / config->project.native_suppressions
             : std::filesystem::current_path() / "suppressions" / "native";
  const std::string name = options.name.empty() ? "exec-" + options.tool : options.name;
  const core::Tool tool = core::require_tool(options.tool);
  plan.runs.push_back(run::plan_command(name, tool, options.command, options.timeout_s, plan.out_dir,
                                        native_suppressions, options.exit_code_only, options.tool_args));
  plan.runs.back().disabled_detection = run::check_disabled_detection(
      tool, options.tool_args, plan.inputs.policy.gating_kinds, options.allow_disabled_detection,
      "plumb exec", "pass --allow-disabled-detection");
  return run_and_publish(plan);
}

}  // namespace

void add_exec_command(CLI::App& app, Action& selected) {
  auto options = std::make_shared<ExecOptions>();
  CLI::App* command = app.add_subcommand("exec", "Run one command under one tool and report");
  command->add_option("--tool", options->tool, core::spelled_list(core::tool_names()))
      ->required()
      ->check(CLI::IsMember(core::tool_names()));
  command->add_option("--timeout", options->timeout_s, "Seconds before the process group is killed (0: none)")
      ->check(kNonNegative);
  command->add_option("--out", options->out, "Report folder")->capture_default_str();
  command->add_option("--name", options->name, "Variant name in the report (default exec-TOOL)");
  command->add_option("--config", options->config, "Configuration file for suppressions, baseline and gate");
  command
      ->add_option(
          "--tool-args", options->tool_args,
          "An extra valgrind option (e.g. --trace-children=yes) or KEY=VALUE for *SAN_OPTIONS; repeatable")
      ->allow_extra_args(false);
  command->add_flag("--allow-disabled-detection", options->allow_disabled_detection,
                    "Accept --tool-args that switch off detection the gate asks for (named in the report)");
  command->add_flag("--exit-code-only", options->exit_code_only,
                    "With --tool native and no samples: judge the run by its exit code alone");
  command->add_option("command", options->command, "-- CMD ARGS...")->required();
  command->callback([&selected, options] { selected = [options] { return exec(*options); }; });
}

}  // namespace plumb::cli

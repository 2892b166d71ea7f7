#include "plumb/run/plan.hpp"

#include <algorithm>

#include "plumb/core/errors.hpp"
#include "plumb/core/output_dir.hpp"
#include "plumb/core/tools.hpp"
#include "plumb/run/ctest.hpp"
#include "plumb/run/disabled_detection.hpp"
#include "plumb/run/runtime_check.hpp"
#include "plumb/run/shell.hpp"
#include "plumb/run/wrapped.hpp"

namespace plumb::run {
namespace {

// The harness whose samples plumb reads without being told.
constexpr std::string_view kHarness = "scan_leak";

bool mentions(const std::vector<std::string>& args, std::string_view text) {
  return std::any_of(args.begin(), args.end(),
                     [&](const std::string& arg) { return arg.find(text) != std::string::npos; });
}

void replace_all(std::string& text, std::string_view from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

// A CTest variant before its tests are known: its spec lists them (ctest --show-only=json-v1).
PlannedRun plan_ctest_suite(const core::Config& config, const core::VariantConfig& variant, PlannedRun plan) {
  CtestSuite suite;
  suite.selection = *variant.ctest;
  suite.native_suppressions = config.root / config.project.native_suppressions;
  suite.tool_args = variant.tool_args;
  suite.env = variant.env;
  suite.timeout_s = plan.timeout_s;
  suite.wrappers = config.project.wrappers;
  plan.ctest = suite;
  plan.spec.argv = ctest_list_command(plan.build_tree, suite.selection);
  plan.spec.cwd = plan.build_tree;
  plan.spec.stdout_path = plan.out_dir / "ctest-tests.json";
  plan.spec.stderr_path = plan.out_dir / "ctest-tests.stderr.log";
  plan.spec.new_process_group = true;
  plan.logs = {LogSpec{"ctest-tests.json", "", std::nullopt, false, false, ""},
               LogSpec{"ctest-tests.stderr.log", "", std::nullopt, false, false, ""}};
  plan.command = shell_command(plan.spec.argv);
  plan.repro = repro_line(plan.spec.cwd, {}, plan.spec.argv);
  return plan;
}

// Whether `program` (as the command names it: a path, or a name found on PATH) is a wrapper that
// starts the program under test: a shell, env, an interpreter, a script run directly (a version
// manager's shim). Valgrind then follows what it starts, as for a CTest test; otherwise it would
// check the wrapper and stop at its exec, cut off mid-log.
bool starts_through_wrapper(const std::string& program, const std::filesystem::path& cwd,
                            const std::vector<std::string>& wrappers) {
  return is_wrapper(resolve_program(program, cwd), wrappers);
}

}  // namespace

PlannedRun finish_plan(PlannedRun plan, ToolInvocation invocation, bool reads_samples,
                       const std::map<std::string, std::string>& extra_env) {
  plan.spec.argv = std::move(invocation.argv);
  plan.spec.env = std::move(invocation.env);
  for (const auto& [key, value] : extra_env) {
    plan.spec.env[key] = value;
  }
  plan.spec.stdout_path = plan.out_dir / "stdout.log";
  plan.spec.stderr_path = plan.out_dir / "stderr.log";
  plan.spec.new_process_group = true;
  plan.spec.required_symbol = std::string(runtime_symbol(plan.tool));
  // A wrapper (a shell, env, an interpreter) carries no runtime: the program it runs does, when its
  // arguments tell which; when they do not, the run's own logs decide (no runtime loaded: an error).
  if (!plan.spec.required_symbol.empty()) {
    if (const auto wrapped = wrapped_programs(plan.spec.argv, plan.spec.cwd, plan.build_tree, plan.wrappers)) {
      plan.spec.checked_programs = *wrapped;
      if (wrapped->empty()) {
        plan.spec.required_symbol.clear();
      }
    }
  }
  plan.spec.tool = plan.tool;
  plan.logs = std::move(invocation.logs);
  if (reads_samples) {
    plan.logs.push_back(LogSpec{"samples.jsonl", "", core::LogFormat::Samples, true, false,
                                "the harness wrote no samples file: it did not start (see stderr.log)"});
  }
  plan.logs.push_back(LogSpec{"stdout.log", "", std::nullopt, false, false, ""});
  // stderr.log is listed once, parsed when the tool asked for it (see tool_adapter.cpp).
  const bool stderr_parsed = std::any_of(plan.logs.begin(), plan.logs.end(),
                                         [](const LogSpec& spec) { return spec.prefix == "stderr.log"; });
  if (!stderr_parsed) {
    plan.logs.push_back(LogSpec{"stderr.log", "", std::nullopt, false, false, ""});
  }
  plan.command = shell_command(plan.spec.argv);
  plan.repro = repro_line(plan.spec.cwd, plan.spec.env, plan.spec.argv);
  return plan;
}

std::string variant_program(const core::Config& config, const core::VariantConfig& variant) {
  if (!variant.preset.empty()) {
    const std::filesystem::path tree = config.root / config.project.build_dir / variant.preset;
    return (variant.program.empty() ? tree / "bin" / variant.target : tree / variant.program)
        .lexically_normal()
        .string();
  }
  if (variant.target.find('/') != std::string::npos) {
    return (config.root / variant.target).lexically_normal().string();
  }
  return variant.target;
}

bool holds_only_its_logs(const PlannedRun& plan) {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(plan.out_dir, error)) {
    const std::string name = entry.path().filename().string();
    const bool log = entry.is_regular_file(error) && !entry.is_symlink(error) &&
                     std::any_of(plan.logs.begin(), plan.logs.end(),
                                 [&](const LogSpec& spec) { return log_matches(spec, name); });
    if (!log) {
      return false;
    }
  }
  return !error;
}

void relocate_program(PlannedRun& plan, const std::filesystem::path& program) {
  const std::string old = plan.spec.target;
  for (std::string& arg : plan.spec.argv) {
    if (arg == old) {
      arg = program.string();
    }
  }
  plan.spec.target = program;
  plan.command = shell_command(plan.spec.argv);
  plan.repro = repro_line(plan.spec.cwd, plan.spec.env, plan.spec.argv);
}

std::string expand_placeholders(std::string_view arg, const std::filesystem::path& out_dir,
                                const std::filesystem::path& root) {
  std::string text(arg);
  replace_all(text, "{samples}", (out_dir / "samples.jsonl").string());
  replace_all(text, "{out}", out_dir.string());
  replace_all(text, "{root}", root.string());
  return text;
}

PlannedRun plan_variant(const core::Config& config, const core::VariantConfig& variant, std::string_view tier,
                        const std::filesystem::path& report_dir) {
  const auto settings = variant.tiers.find(std::string(tier));
  if (settings == variant.tiers.end()) {
    throw core::UsageError(
        core::located_message(config.source, variant.line,
                              "variant '" + variant.name + "' has no tier '" + std::string(tier) + "'"));
  }
  core::check_path_name(variant.name, "variant name");
  PlannedRun plan;
  plan.disabled_detection = check_disabled_detection(
      variant.tool, variant.tool_args, config.gate.gating_kinds, variant.allow_disabled_detection,
      core::located_message(config.source, variant.line, "variant '" + variant.name + "'"),
      "set allow_disabled_detection = true in the variant");
  plan.name = variant.name;
  plan.tool = variant.tool;
  plan.canary = variant.canary;
  plan.preset = variant.preset;
  plan.exit_code_only = variant.exit_code_only;
  plan.out_dir = std::filesystem::absolute(report_dir) / variant.name;
  plan.timeout_s = settings->second.timeout_s;
  plan.spec.cwd = variant.cwd.empty() ? config.root : (config.root / variant.cwd).lexically_normal();
  if (!variant.preset.empty()) {
    plan.build_tree = (config.root / config.project.build_dir / variant.preset).lexically_normal();
  }
  if (variant.ctest) {
    return plan_ctest_suite(config, variant, std::move(plan));
  }

  std::vector<std::string> command = {variant_program(config, variant)};
  plan.spec.target = command.front();
  if (!variant.preset.empty() && variant.program.empty()) {
    plan.cmake_target = variant.target;
  }
  for (const std::string& arg : settings->second.args) {
    command.push_back(expand_placeholders(arg, plan.out_dir, config.root));
  }
  const bool is_harness = std::filesystem::path(variant.target).filename() == kHarness;
  if (is_harness && !mentions(settings->second.args, "--samples")) {
    command.push_back("--samples");
    command.push_back((plan.out_dir / "samples.jsonl").string());
  }
  if (is_harness && variant.tool == core::Tool::Massif &&
      !mentions(settings->second.args, "--snapshot-dir")) {
    command.push_back("--snapshot-dir");
    command.push_back((plan.out_dir / "snapshots").string());
  }
  const bool reads_samples = is_harness || mentions(settings->second.args, "{samples}");

  plan.wrappers = config.project.wrappers;
  plan.follows_children = starts_through_wrapper(command.front(), plan.spec.cwd, plan.wrappers);
  ToolContext context{plan.out_dir, config.root / config.project.native_suppressions, variant.tool_args,
                      plan.follows_children};
  return finish_plan(std::move(plan), adapt_tool(variant.tool, command, context), reads_samples, variant.env);
}

PlannedRun plan_command(std::string name, core::Tool tool, const std::vector<std::string>& command,
                        double timeout_s, const std::filesystem::path& report_dir,
                        const std::filesystem::path& native_suppressions, bool exit_code_only,
                        const std::vector<std::string>& tool_args) {
  if (command.empty()) {
    throw core::UsageError("exec: no command given after --");
  }
  core::check_path_name(name, "--name");
  PlannedRun plan;
  plan.name = std::move(name);
  plan.tool = tool;
  plan.out_dir = std::filesystem::absolute(report_dir) / plan.name;
  plan.timeout_s = timeout_s;
  plan.exit_code_only = exit_code_only;
  plan.spec.cwd = std::filesystem::current_path();
  plan.spec.target = command.front();
  plan.follows_children = starts_through_wrapper(command.front(), plan.spec.cwd, plan.wrappers);
  ToolContext context{plan.out_dir, native_suppressions, tool_args, plan.follows_children};
  return finish_plan(std::move(plan), adapt_tool(tool, command, context), false, {});
}

}  // namespace plumb::run

// plumb parse: logs made elsewhere into the same analysis and reports.
#include <memory>

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "pipeline.hpp"
#include "plumb/core/errors.hpp"
#include "plumb/core/output_dir.hpp"
#include "plumb/core/tools.hpp"

namespace plumb::cli {
namespace {

struct ParseOptions {
  std::string tool;
  std::vector<std::string> files;
  std::string out = kDefaultReportDir;
  std::string config;
  std::string name;
};

int parse_logs(const ParseOptions& options) {
  const std::optional<core::Config> config = load_optional_config(options.config);
  const analyze::AnalysisInputs inputs = analysis_inputs(config);
  const std::filesystem::path out_dir = std::filesystem::absolute(options.out);
  const core::LogFormat format = core::require_log_format(options.tool);
  core::VariantOutcome outcome;
  outcome.result.name = options.name.empty() ? "parse-" + options.tool : options.name;
  outcome.result.tool = core::spec_of(format).written_under;
  outcome.result.status = core::VariantStatus::Ok;
  outcome.expects_output = true;
  for (const std::string& file : options.files) {
    if (!std::filesystem::is_regular_file(file)) {
      throw core::UsageError(core::located_message(file, 0, "no such log file"));
    }
    outcome.logs.push_back(parse_log_file(file, file, format));
    outcome.result.logs.push_back(file);
  }
  const core::OutputLock lock(out_dir);
  std::vector<core::VariantOutcome> outcomes;
  outcomes.push_back(std::move(outcome));
  return publish_report(analyze::analyze(std::move(outcomes), inputs), out_dir);
}

}  // namespace

void add_parse_command(CLI::App& app, Action& selected) {
  auto options = std::make_shared<ParseOptions>();
  CLI::App* command = app.add_subcommand("parse", "Parse tool logs made elsewhere and report");
  command->add_option("--tool", options->tool, core::spelled_list(core::log_format_names()))
      ->required()
      ->check(CLI::IsMember(core::log_format_names()));
  command->add_option("files", options->files, "Log files")->required();
  command->add_option("--out", options->out, "Report folder")->capture_default_str();
  command->add_option("--name", options->name, "Variant name in the report (default parse-TOOL)");
  command->add_option("--config", options->config, "Configuration file for suppressions, baseline and gate");
  command->callback([&selected, options] { selected = [options] { return parse_logs(*options); }; });
}

}  // namespace plumb::cli

// plumb merge: the per-variant reports of a CI matrix into one report and one gate.
#include <fstream>
#include <memory>

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "pipeline.hpp"
#include "plumb/analyze/merge.hpp"
#include "plumb/core/errors.hpp"
#include "plumb/core/output_dir.hpp"
#include "plumb/core/report_json.hpp"

namespace plumb::cli {
namespace {

struct MergeOptions {
  std::vector<std::string> reports;
  std::string out;
  std::string config;
};

int merge(const MergeOptions& options) {
  const std::optional<core::Config> config = load_optional_config(options.config);
  const analyze::AnalysisInputs inputs = analysis_inputs(config);
  std::vector<core::Report> reports;
  for (const std::string& path : options.reports) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      throw core::UsageError(core::located_message(path, 0, "cannot read the report"));
    }
    reports.push_back(core::read_report(in, path));
  }
  const std::filesystem::path out_dir = std::filesystem::absolute(options.out);
  const core::OutputLock lock(out_dir);
  return publish_report(analyze::merge_reports(std::move(reports), inputs.policy), out_dir);
}

}  // namespace

void add_merge_command(CLI::App& app, Action& selected) {
  auto options = std::make_shared<MergeOptions>();
  CLI::App* command = app.add_subcommand("merge", "Combine report.json files of a CI matrix into one report");
  command->add_option("reports", options->reports, "report.json files")->required();
  command->add_option("--out", options->out, "Report folder")->required();
  command->add_option("--config", options->config, "Configuration file for the gate");
  command->callback([&selected, options] { selected = [options] { return merge(*options); }; });
}

}  // namespace plumb::cli

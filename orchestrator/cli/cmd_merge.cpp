// plumb merge: the per-variant reports of a CI matrix into one report and one gate.
#include <fstream>
#include <memory>

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "pipeline.hpp"
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
  std::vector<pipeline::MergeInput> read;
  for (const std::string& given : options.reports) {
    // A report folder (a shard's, with its logs) or its report.json.
    const std::filesystem::path path = std::filesystem::is_directory(given)
                                           ? std::filesystem::path(given) / "report.json"
                                           : std::filesystem::path(given);
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      throw core::UsageError(core::located_message(path.string(), 0, "cannot read the report"));
    }
    read.push_back({core::read_report(in, path.string()), std::filesystem::absolute(path).parent_path(), given});
  }
  const std::filesystem::path out_dir = std::filesystem::absolute(options.out);
  const core::OutputLock lock(out_dir);
  return publish_report(pipeline::merge_reports(std::move(read), inputs, out_dir), out_dir);
}

}  // namespace

void add_merge_command(CLI::App& app, Action& selected) {
  auto options = std::make_shared<MergeOptions>();
  CLI::App* command = app.add_subcommand("merge", "Combine the reports of a CI matrix (or the shards of one run) into one report");
  command->add_option("reports", options->reports,
                      "report.json files or report folders (the N shards of plumb run --shard K/N)")
      ->required();
  command->add_option("--out", options->out, "Report folder")->required();
  command->add_option("--config", options->config, "Configuration file for the gate");
  command->callback([&selected, options] { selected = [options] { return merge(*options); }; });
}

}  // namespace plumb::cli

// plumb baseline update: accept the findings of a report as the project's baseline.
#include <fstream>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "pipeline.hpp"
#include "plumb/analyze/baseline.hpp"
#include "plumb/core/atomic_file.hpp"
#include "plumb/core/errors.hpp"
#include "plumb/core/report_json.hpp"

namespace plumb::cli {
namespace {

struct BaselineOptions {
  std::string from = std::string(kDefaultReportDir) + "/report.json";
  std::string config;
};

int update_baseline(const BaselineOptions& options) {
  const core::Config config = load_project_config(options.config);
  std::ifstream in(options.from, std::ios::binary);
  if (!in) {
    throw core::UsageError(core::located_message(
        options.from, 0, "cannot read the report (run plumb run first, or give --from)"));
  }
  const core::Report report = core::read_report(in, options.from);
  const std::filesystem::path target = config.root / config.project.baseline;
  std::filesystem::create_directories(target.parent_path());
  core::write_file_atomically(target, analyze::render_baseline(report));
  std::cout << "plumb: wrote " << target.string() << " from " << options.from << std::endl;
  return core::kExitPass;
}

}  // namespace

void add_baseline_command(CLI::App& app, Action& selected) {
  auto options = std::make_shared<BaselineOptions>();
  CLI::App* baseline = app.add_subcommand("baseline", "Maintain the accepted findings");
  baseline->require_subcommand(1);
  CLI::App* update = baseline->add_subcommand("update", "Accept every unsuppressed finding of a report");
  update->add_option("--from", options->from, "report.json to accept")->capture_default_str();
  update->add_option("--config", options->config, "Configuration file (default ./plumb.toml)");
  update->callback([&selected, options] { selected = [options] { return update_baseline(*options); }; });
}

}  // namespace plumb::cli

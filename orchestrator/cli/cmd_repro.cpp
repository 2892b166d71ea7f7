// plumb repro: the exact command and environment of one variant, to paste, or run (--run).
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "pipeline.hpp"
#include "plumb/core/errors.hpp"
#include "plumb/run/plan.hpp"
#include "run_variants.hpp"

namespace plumb::cli {
namespace {

struct ReproOptions {
  std::string variant;
  std::string tier;  // Empty: the config's default tier.
  std::string config;
  std::string out;  // Empty: the config's project.report_dir.
  bool run = false;
  bool build = true;
};

int repro(const ReproOptions& options) {
  if (options.run) {
    RunOptions run;
    run.tier = options.tier;
    run.variants = {options.variant};
    run.out = options.out;
    run.jobs = 1;
    run.config = options.config;
    run.build = options.build;
    return run_configured_variants(run);
  }
  const core::Config config = load_project_config(options.config);
  const core::VariantConfig* variant = core::find_variant(config, options.variant);
  if (variant == nullptr) {
    throw core::UsageError(
        core::located_message(config.source, 0, "no variant named '" + options.variant + "'"));
  }
  const std::string tier = options.tier.empty() ? core::default_tier(config) : options.tier;
  const std::filesystem::path out =
      options.out.empty() ? config.root / config.project.report_dir : std::filesystem::absolute(options.out);
  const run::PlannedRun plan = run::plan_variant(config, *variant, tier, out);
  std::cout << "# " << plan.name << " (" << plan.tool << ", tier " << tier << "), logs in "
            << plan.out_dir.string() << "\n";
  if (!variant->preset.empty()) {
    std::cout << "cmake --preset " << variant->preset << " && cmake --build --preset " << variant->preset
              << " --target " << variant->target << "\n";
  }
  std::cout << "mkdir -p " << plan.out_dir.string() << " && " << plan.repro << "\n";
  return core::kExitPass;
}

}  // namespace

void add_repro_command(CLI::App& app, Action& selected) {
  auto options = std::make_shared<ReproOptions>();
  CLI::App* command =
      app.add_subcommand("repro", "Print (or --run) the exact command and environment of a variant");
  command->add_option("variant", options->variant, "Variant name")->required();
  command->add_option("--tier", options->tier,
                      "Workload tier, one the config declares (default: project.default_tier, else pr)");
  command->add_option("--config", options->config, "Configuration file (default ./plumb.toml)");
  command->add_option("--out", options->out, "Report folder (its <variant>/ subfolder holds the logs)");
  command->add_flag("--run", options->run, "Run it (build, run, report) instead of printing it");
  command->add_flag("!--no-build", options->build, "With --run: do not build the preset");
  command->callback([&selected, options] { selected = [options] { return repro(*options); }; });
}

}  // namespace plumb::cli

// plumb run: build the presets the selected variants need, run them in parallel, one report.
#include <algorithm>
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

std::vector<const core::VariantConfig*> select_variants(const core::Config& config,
                                                        const RunOptions& options) {
  if (std::find(config.tiers.begin(), config.tiers.end(), options.tier) == config.tiers.end()) {
    std::string declared;
    for (const std::string& tier : config.tiers) {
      declared += (declared.empty() ? "" : ", ") + tier;
    }
    throw core::UsageError(core::located_message(
        config.source, 0,
        "no variant has a '" + options.tier + "' tier (this config declares: " + declared + ")"));
  }
  std::vector<const core::VariantConfig*> selected;
  if (options.variants.empty()) {
    for (const core::VariantConfig& variant : config.variants) {
      if (variant.tiers.count(options.tier) != 0) {
        selected.push_back(&variant);
      }
    }
    if (selected.empty()) {
      throw core::UsageError(
          core::located_message(config.source, 0, "no variant has a '" + options.tier + "' tier"));
    }
    return selected;
  }
  for (const std::string& name : options.variants) {
    const core::VariantConfig* variant = core::find_variant(config, name);
    if (variant == nullptr) {
      throw core::UsageError(core::located_message(config.source, 0, "no variant named '" + name + "'"));
    }
    if (variant->tiers.count(options.tier) == 0) {
      throw core::UsageError(core::located_message(
          config.source, variant->line, "variant '" + name + "' has no tier '" + options.tier + "'"));
    }
    if (std::find(selected.begin(), selected.end(), variant) == selected.end()) {
      selected.push_back(variant);
    }
  }
  return selected;
}

// Narrows the one selected CTest variant to the test named options.test.
void select_test(core::Config& config, const RunOptions& options) {
  if (options.variants.size() != 1) {
    throw core::UsageError("--test needs exactly one variant (a CTest variant) to run it in");
  }
  core::VariantConfig* variant = nullptr;
  for (core::VariantConfig& candidate : config.variants) {
    variant = candidate.name == options.variants.front() ? &candidate : variant;
  }
  if (variant == nullptr || !variant->ctest) {
    throw core::UsageError(core::located_message(
        config.source, variant == nullptr ? 0 : variant->line,
        "--test: variant '" + options.variants.front() + "' does not run a CTest suite"));
  }
  variant->ctest->only = options.test;
}

// Narrows every selected CTest variant by --exclude-test and --label; refuses them when no
// selected variant runs a CTest suite (they would narrow nothing).
void narrow_tests(core::Config& config, const RunOptions& options,
                  const std::vector<const core::VariantConfig*>& selected) {
  if (options.exclude_test.empty() && options.label.empty()) {
    return;
  }
  bool any = false;
  for (core::VariantConfig& variant : config.variants) {
    if (!variant.ctest || std::find(selected.begin(), selected.end(), &variant) == selected.end()) {
      continue;
    }
    any = true;
    core::CtestSelection& selection = *variant.ctest;
    if (!options.exclude_test.empty()) {
      selection.exclude = selection.exclude.empty()
                              ? options.exclude_test
                              : "(" + selection.exclude + ")|(" + options.exclude_test + ")";
    }
    if (!options.label.empty()) {
      selection.label = options.label;
    }
  }
  if (!any) {
    throw core::UsageError("--exclude-test and --label narrow CTest suites, and no selected variant runs one");
  }
}

}  // namespace

int run_configured_variants(const RunOptions& given) {
  core::Config config = load_project_config(given.config);
  RunOptions options = given;
  if (options.tier.empty()) {
    options.tier = core::default_tier(config);
  }
  if (!options.test.empty()) {
    select_test(config, options);
  }
  const std::vector<const core::VariantConfig*> variants = select_variants(config, options);
  narrow_tests(config, options, variants);
  pipeline::Plan plan;
  plan.out_dir =
      options.out.empty() ? config.root / config.project.report_dir : std::filesystem::absolute(options.out);
  plan.inputs = analysis_inputs(config);
  plan.jobs = options.jobs;
  plan.out_rules.reserved = {
      {config.root,
       "the project root (it holds " + std::filesystem::path(config.source).filename().string() + ")"},
      {config.root / config.project.build_dir, "the root of the build trees"}};
  for (const core::VariantConfig* variant : variants) {
    plan.runs.push_back(run::plan_variant(config, *variant, options.tier, plan.out_dir));
    if (!plan.runs.back().build_tree.empty()) {
      plan.out_rules.reserved.emplace_back(plan.runs.back().build_tree,
                                           "the build tree of preset " + variant->preset);
    }
  }
  if (!options.shard.empty()) {
    const pipeline::ShardSpec spec = pipeline::parse_shard(options.shard);
    plan.shard = options.timings.empty() ? pipeline::ShardRequest{spec, {}, ""}
                                         : pipeline::read_timings(options.timings, spec);
  } else if (!options.timings.empty()) {
    throw core::UsageError("--timings balances shards: give it with --shard K/N");
  }
  if (options.build) {
    plan.config = &config;
    plan.builds = run::build_requests(variants);
  }
  return run_and_publish(plan);
}

void add_run_command(CLI::App& app, Action& selected) {
  auto options = std::make_shared<RunOptions>();
  CLI::App* command =
      app.add_subcommand("run", "Build the needed presets, run the variants of a tier, report");
  command->add_option("--tier", options->tier,
                      "Workload tier, one the config declares (default: project.default_tier, else pr)");
  command->add_option("--variant", options->variants, "Run only this variant (repeatable)");
  command->add_option("--test", options->test, "With one CTest --variant: run only the test of this name");
  command->add_option("--exclude-test", options->exclude_test,
                      "Leave out the CTest tests whose name matches this regex (as ctest -E, with the config's)");
  command->add_option("--label", options->label,
                      "Run only the CTest tests with a label matching this regex (as ctest -L, instead of the config's)");
  command->add_option("--out", options->out, "Report folder (default: project.report_dir, plumb-report)");
  command->add_option("--jobs,-j", options->jobs, "Variants run at once")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  command->add_option("--config", options->config, "Configuration file (default ./plumb.toml)");
  command->add_option("--shard", options->shard,
                      "K/N: run only shard K of N of the (variant, test) runs; plumb merge joins the N reports");
  command->add_option("--timings", options->timings,
                      "With --shard: balance the shards by the durations in this earlier report.json");
  command->add_flag("!--no-build", options->build, "Do not configure or build the presets");
  command->callback(
      [&selected, options] { selected = [options] { return run_configured_variants(*options); }; });
}

}  // namespace plumb::cli

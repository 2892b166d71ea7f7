// plumb repro: the exact command and environment of one variant, to paste, or run (--run).
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "pipeline.hpp"
#include "plumb/core/errors.hpp"
#include "plumb/core/terminal_text.hpp"
#include "plumb/run/ctest.hpp"
#include "plumb/run/plan.hpp"
#include "plumb/run/shell.hpp"
#include "plumb/run/system_runner.hpp"
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
  std::string test;  // A CTest variant's test.
};

// A folder made for this command alone (mkdtemp), removed with what it holds when done.
class PrivateTempDir {
 public:
  PrivateTempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "plumb-repro-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw core::InfrastructureError("cannot make a temporary folder in " +
                                      std::filesystem::temp_directory_path().string());
    }
    path_ = pattern;
  }
  ~PrivateTempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  PrivateTempDir(const PrivateTempDir&) = delete;
  PrivateTempDir& operator=(const PrivateTempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A CTest variant: with --test, that test's command under the tool (the tests are listed by
// ctest in the built tree); without, how to list them.
int repro_test(const run::PlannedRun& suite, const core::VariantConfig& variant, const std::string& tier,
               const std::string& test) {
  const std::string build =
      "cmake --preset " + variant.preset + " && cmake --build --preset " + variant.preset;
  if (test.empty()) {
    std::cout << "# " << suite.name << " runs the CTest suite of preset " << variant.preset << " under "
              << core::name_of(suite.tool) << " (tier " << tier << "); build it, list its tests, then\n"
              << "# `plumb repro " << suite.name << " --test NAME` prints one test's command\n"
              << build << "\n"
              << run::shell_command({"ctest", "-N", "--test-dir", suite.build_tree.string()}) << "\n";
    return core::kExitPass;
  }
  // The listing goes to a folder of plumb's own, removed when done; nothing lands in the report folder.
  const PrivateTempDir scratch;
  run::PlannedRun lister = suite;
  lister.spec.stdout_path = scratch.path() / "ctest-tests.json";
  lister.spec.stderr_path = scratch.path() / "ctest-tests.stderr.log";
  const std::unique_ptr<run::ProcessRunner> runner = run::make_system_runner();
  std::vector<run::CtestTest> tests;
  try {
    tests = run::list_ctest_tests(*runner, lister, {});
  } catch (const core::InfrastructureError& error) {
    throw core::InfrastructureError(std::string(error.what()) + " (is preset " + variant.preset + " built? " +
                                    build + ")");
  }
  const std::optional<std::size_t> index = run::find_ctest_test(tests, test);
  if (!index) {
    throw core::UsageError("--test: " + run::no_such_test_message(tests, test, suite.build_tree));
  }
  const run::PlannedRun plan = run::plan_ctest_test(suite, tests[*index], *index + 1);
  std::cout << "# " << core::terminal_safe(plan.name) << " (" << core::name_of(plan.tool) << ", tier " << tier
            << "), logs in " << plan.out_dir.string() << "\n"
            << build << "\n"
            << "mkdir -p " << plan.out_dir.string() << " && " << plan.repro << "\n";
  return core::kExitPass;
}

int repro(const ReproOptions& options) {
  if (options.run) {
    RunOptions run;
    run.tier = options.tier;
    run.variants = {options.variant};
    run.out = options.out;
    run.jobs = 1;
    run.config = options.config;
    run.build = options.build;
    run.test = options.test;
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
  if (plan.ctest) {
    return repro_test(plan, *variant, tier, options.test);
  }
  if (!options.test.empty()) {
    throw core::UsageError(core::located_message(
        config.source, variant->line, "--test: variant '" + variant->name + "' does not run a CTest suite"));
  }
  std::cout << "# " << plan.name << " (" << core::name_of(plan.tool) << ", tier " << tier << "), logs in "
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
  command->add_option("--test", options->test,
                      "Of a CTest variant: this test's command (with --run: run only it)");
  command->add_flag("--run", options->run, "Run it (build, run, report) instead of printing it");
  command->add_flag("!--no-build", options->build, "With --run: do not build the preset");
  command->callback([&selected, options] { selected = [options] { return repro(*options); }; });
}

}  // namespace plumb::cli

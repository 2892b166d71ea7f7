// plumb init: read the CMake project here, write plumb.toml (and the presets it lacks), say what next.
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "plumb/core/errors.hpp"
#include "plumb/init/init.hpp"
#include "plumb/run/system_runner.hpp"

namespace plumb::cli {
namespace {

struct InitOptions {
  std::string dir = ".";
  bool dry_run = false;
  bool no_timing = false;
  int timing_budget_s = 600;
};

int init_project(const InitOptions& options) {
  const init::ProjectFacts facts = init::read_project_facts(options.dir);
  init::InitPlan plan;
  if (options.dry_run) {
    const std::optional<init::NativeTimes> recorded =
        init::recorded_native_times(facts, init::choose_presets(facts));
    plan = init::plan_init(facts, recorded ? &*recorded : nullptr);
    for (const init::PlannedFile& file : plan.files) {
      std::cout << "# " << file.path.string() << (file.extends ? " (extended)" : " (new)") << "\n"
                << file.content;
    }
  } else {
    const std::unique_ptr<run::ProcessRunner> runner =
        options.no_timing ? nullptr : run::make_system_runner();
    init::MeasureOptions measuring;
    measuring.budget = std::chrono::seconds(options.timing_budget_s);
    measuring.progress = &std::cout;
    plan = init::adopt(facts, runner.get(), measuring);
  }
  for (const init::PlannedFile& file : plan.files) {
    std::cout << "plumb: " << (options.dry_run ? "would write " : "wrote ") << file.path.string()
              << (file.extends ? " (added plumb's presets; the old file is " + file.path.filename().string() +
                                     ".plumb-backup)"
                               : "")
              << "\n";
  }
  for (const std::string& note : plan.notes) {
    std::cout << "plumb: note: " << note << "\n";
  }
  std::cout << "plumb: next, in " << facts.root.string() << ":\n";
  for (const std::string& command : plan.commands) {
    std::cout << "  " << command << "\n";
  }
  return core::kExitPass;
}

}  // namespace

void add_init_command(CLI::App& app, Action& selected) {
  auto options = std::make_shared<InitOptions>();
  CLI::App* command = app.add_subcommand(
      "init", "Adopt plumb in a CMake project: write plumb.toml and the sanitizer/valgrind presets it lacks");
  command->add_option("dir", options->dir, "The project's top folder (holding CMakeLists.txt)")
      ->capture_default_str();
  command->add_flag("--dry-run", options->dry_run, "Print the files instead of writing them");
  command->add_flag(
      "--no-timing", options->no_timing,
      "Do not build memcheck's preset and time the tests natively when CTest recorded no times");
  command
      ->add_option("--timing-budget", options->timing_budget_s,
                   "Seconds the native ctest run that times the tests may take")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  command->callback([&selected, options] { selected = [options] { return init_project(*options); }; });
}

}  // namespace plumb::cli

// plumb init: read the CMake project here, write plumb.toml (and the presets it lacks), say what next.
#include <filesystem>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "plumb/core/errors.hpp"
#include "plumb/init/init.hpp"

namespace plumb::cli {
namespace {

struct InitOptions {
  std::string dir = ".";
  bool dry_run = false;
};

int init_project(const InitOptions& options) {
  const init::ProjectFacts facts = init::read_project_facts(options.dir);
  const init::InitPlan plan = init::plan_init(facts);
  if (options.dry_run) {
    for (const init::PlannedFile& file : plan.files) {
      std::cout << "# " << file.path.string() << (file.extends ? " (extended)" : " (new)") << "\n"
                << file.content;
    }
  } else {
    init::apply_init(plan);
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
  command->callback([&selected, options] { selected = [options] { return init_project(*options); }; });
}

}  // namespace plumb::cli

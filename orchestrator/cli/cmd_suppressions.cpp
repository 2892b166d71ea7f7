// plumb suppressions export: the unified suppressions as one tool's native file.
#include <iostream>
#include <memory>
#include <optional>

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "pipeline.hpp"
#include "plumb/analyze/suppressions.hpp"
#include "plumb/core/atomic_file.hpp"
#include "plumb/core/errors.hpp"
#include "plumb/core/tools.hpp"

namespace plumb::cli {
namespace {

struct ExportOptions {
  std::string tool;
  std::string out;
  std::string config;
};

// The native format a tool reads: memcheck and massif share valgrind's, ASan runs LSan. A format's
// own name (valgrind, lsan, ubsan) is kept.
std::string native_format(const std::string& name) {
  if (const std::optional<core::Tool> tool = core::tool_named(name)) {
    switch (*tool) {
      case core::Tool::Memcheck:
      case core::Tool::Massif:
        return "valgrind";
      case core::Tool::Asan:
        return "lsan";
      case core::Tool::Tsan:    // Its format's name is its own.
      case core::Tool::Native:  // Reads no suppressions: export_suppressions refuses the name.
      case core::Tool::Doctor:
        break;
    }
  }
  return name;
}

int export_suppressions(const ExportOptions& options) {
  const core::Config config = load_project_config(options.config);
  const analyze::SuppressionSet set = analyze::load_suppressions(config.root / config.project.suppressions);
  const std::string text = analyze::export_suppressions(set, native_format(options.tool));
  if (options.out.empty()) {
    std::cout << text << std::flush;
  } else {
    core::write_file_atomically(options.out, text);
  }
  return core::kExitPass;
}

}  // namespace

void add_suppressions_command(CLI::App& app, Action& selected) {
  auto options = std::make_shared<ExportOptions>();
  CLI::App* suppressions = app.add_subcommand("suppressions", "Maintain the unified suppressions");
  suppressions->require_subcommand(1);
  CLI::App* command =
      suppressions->add_subcommand("export", "Write the native suppressions file of one tool");
  command->add_option("--tool", options->tool, "valgrind (memcheck), lsan (asan), tsan or ubsan")
      ->required()
      ->check(CLI::IsMember({"valgrind", "memcheck", "massif", "lsan", "asan", "tsan", "ubsan"}));
  command->add_option("--out", options->out, "File to write (default: standard output)");
  command->add_option("--config", options->config, "Configuration file (default ./plumb.toml)");
  command->callback([&selected, options] { selected = [options] { return export_suppressions(*options); }; });
}

}  // namespace plumb::cli

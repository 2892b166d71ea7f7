#include "app.hpp"

#include <algorithm>
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "plumb/core/errors.hpp"
#include "plumb/core/terminal_text.hpp"
#include "plumb/pipeline/pipeline.hpp"

namespace plumb::cli {

int run_cli(const std::vector<std::string>& args) {
  CLI::App app{"plumb: run programs under Valgrind and the sanitizers, one report, one gate"};
  app.name("plumb");
  app.set_version_flag("--version", "plumb " + pipeline::plumb_version());
  app.require_subcommand(1);
  Action selected;
  add_init_command(app, selected);
  add_run_command(app, selected);
  add_exec_command(app, selected);
  add_parse_command(app, selected);
  add_merge_command(app, selected);
  add_repro_command(app, selected);
  add_baseline_command(app, selected);
  add_suppressions_command(app, selected);
  add_doctor_command(app, selected);
  add_profile_command(app, selected);
  if (!args.empty() && !args.front().empty() && args.front().front() != '-') {
    const auto subcommands = app.get_subcommands([](CLI::App*) { return true; });
    const bool known = std::any_of(subcommands.begin(), subcommands.end(),
                                   [&](const CLI::App* sub) { return sub->check_name(args.front()); });
    if (!known) {
      std::cerr << "plumb: unknown subcommand '" << core::terminal_safe(args.front())
                << "' (see plumb --help)" << std::endl;
      return core::kExitUsage;
    }
  }
  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    app.parse(reversed);
  } catch (const CLI::Success& help) {
    return app.exit(help);
  } catch (const CLI::ParseError& error) {
    std::cerr << "plumb: " << core::terminal_safe(error.what()) << " (see plumb --help)" << std::endl;
    return core::kExitUsage;
  }
  try {
    if (!selected) {
      throw core::UsageError("no subcommand selected");
    }
    return selected();
  } catch (const core::UsageError& error) {
    std::cerr << "plumb: " << core::terminal_safe(error.what()) << std::endl;
    return core::kExitUsage;
  } catch (const core::ShardMismatch& error) {
    std::cerr << "plumb: " << core::terminal_safe(error.what()) << std::endl;
    return core::kExitShardsIncomplete;
  } catch (const core::InfrastructureError& error) {
    std::cerr << "plumb: " << core::terminal_safe(error.what()) << std::endl;
    return core::kExitInfrastructure;
  } catch (const std::exception& error) {
    std::cerr << "plumb: internal error: " << core::terminal_safe(error.what()) << std::endl;
    return core::kExitInfrastructure;
  }
}

}  // namespace plumb::cli

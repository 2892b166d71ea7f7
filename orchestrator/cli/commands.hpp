// The plumb subcommands: each registers itself on the CLI11 app and, when selected on the
// command line, stores the action that main() runs to get the exit code.
#pragma once

#include <functional>

namespace CLI {
class App;
}

namespace plumb::cli {

// The work of the selected subcommand; returns the process exit code (core::ExitCode).
using Action = std::function<int()>;

void add_init_command(CLI::App& app, Action& selected);          // plumb init
void add_run_command(CLI::App& app, Action& selected);           // plumb run
void add_exec_command(CLI::App& app, Action& selected);          // plumb exec
void add_parse_command(CLI::App& app, Action& selected);         // plumb parse
void add_merge_command(CLI::App& app, Action& selected);         // plumb merge
void add_repro_command(CLI::App& app, Action& selected);         // plumb repro
void add_baseline_command(CLI::App& app, Action& selected);      // plumb baseline update
void add_suppressions_command(CLI::App& app, Action& selected);  // plumb suppressions export
void add_doctor_command(CLI::App& app, Action& selected);        // plumb doctor
void add_profile_command(CLI::App& app, Action& selected);       // plumb profile

}  // namespace plumb::cli

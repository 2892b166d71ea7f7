// The plumb command line: every subcommand on one CLI11 app, errors mapped to exit codes.
#pragma once

#include <string>
#include <vector>

namespace plumb::cli {

// Parses `args` (without the program name), runs the selected subcommand and returns the exit
// code: usage errors (CLI11's included) 2, infrastructure errors 3, else the subcommand's own.
int run_cli(const std::vector<std::string>& args);

}  // namespace plumb::cli

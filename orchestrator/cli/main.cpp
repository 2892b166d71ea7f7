// plumb: parse the command line, run the selected subcommand, exit with its code.
#include <string>
#include <vector>

#include "app.hpp"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  return plumb::cli::run_cli(args);
}

#pragma once

#include <ostream>
#include <variant>

#include "plumb/harness/options.hpp"

namespace plumb::harness {

// Parsing stopped early: print nothing more and exit with this code (0 after --help, 2 on misuse).
struct ExitRequest {
  int exit_code = 2;
};

// Parses scan_leak's command line; help goes to `out`, usage errors (one line) to `err`.
std::variant<Options, ExitRequest> parse_command_line(int argc, const char* const* argv, std::ostream& out,
                                                      std::ostream& err);

}  // namespace plumb::harness

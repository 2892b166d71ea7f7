// scan_leak: the spectre scanner's long-running leak harness (see docs/workloads.md).
#include <iostream>
#include <variant>

#include "plumb/harness/cli.hpp"
#include "plumb/harness/scan_leak.hpp"

int main(int argc, char** argv) {
  auto parsed = plumb::harness::parse_command_line(argc, argv, std::cout, std::cerr);
  if (const auto* exit_request = std::get_if<plumb::harness::ExitRequest>(&parsed))
    return exit_request->exit_code;
  return plumb::harness::run_scan_leak(std::get<plumb::harness::Options>(parsed), std::cout, std::cerr);
}

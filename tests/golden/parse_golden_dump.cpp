// Prints the parse of one log as the JSON the golden files hold: parse_golden_dump TOOL FILE.
#include <fstream>
#include <iostream>

#include "plumb/core/errors.hpp"
#include "plumb/parse/parse.hpp"
#include "parse_result_json.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: parse_golden_dump TOOL FILE\n";
    return plumb::core::kExitUsage;
  }
  std::ifstream in(argv[2], std::ios::binary);
  if (!in) {
    std::cerr << argv[2] << ": cannot open\n";
    return plumb::core::kExitUsage;
  }
  try {
    std::cout << plumb::parse::parse_result_to_json(plumb::parse::parse_log(plumb::core::require_log_format(argv[1]), in)).dump(2) << "\n";
  } catch (const plumb::core::UsageError& error) {
    std::cerr << error.what() << "\n";
    return plumb::core::kExitUsage;
  }
  return 0;
}

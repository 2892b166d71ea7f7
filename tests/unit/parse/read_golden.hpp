// Reads a real log from tests/golden into a string, for tests that cut or splice it.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace plumb::parse::testing {

// The bytes of tests/golden/<relative>.
inline std::string read_golden(const std::string& relative) {
  std::ifstream in(std::filesystem::path(PLUMB_GOLDEN_DIR) / relative, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace plumb::parse::testing

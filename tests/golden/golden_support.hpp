// Where the golden files are and how a golden log is read (shared by the golden test files).
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "plumb/parse/parse.hpp"

namespace plumb::golden {

// tests/golden in the source tree.
inline std::filesystem::path golden_dir() {
  return PLUMB_GOLDEN_DIR;
}

// Parses tests/golden/<relative> with the parser of `tool`, failing the test when it cannot be opened.
inline core::ParseResult parse_golden(const std::string& tool, const std::string& relative) {
  std::ifstream in(golden_dir() / relative, std::ios::binary);
  EXPECT_TRUE(in.good()) << relative << " cannot be opened";
  return parse::parse_log(tool, in);
}

}  // namespace plumb::golden

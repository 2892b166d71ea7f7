// Every raw log under tests/golden/<tool>/ parses to exactly its <case>.expected.json.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "golden_support.hpp"
#include "parse_result_json.hpp"

namespace plumb::golden {
namespace {

struct GoldenCase {
  std::string tool;
  std::string raw;       // Relative to tests/golden.
  std::string expected;  // Relative to tests/golden.
};

// gtest would otherwise print the struct's bytes, padding included (memcheck: uninitialised).
void PrintTo(const GoldenCase& c, std::ostream* out) {
  *out << c.raw;
}

// The raw-log suffix of each tool folder (as scripts/make-golden writes them).
const std::vector<std::pair<std::string, std::string>>& raw_suffixes() {
  static const std::vector<std::pair<std::string, std::string>> kSuffixes{
      {"memcheck", ".xml"}, {"massif", ".massif.out"}, {"asan", ".log"},     {"lsan", ".log"},
      {"ubsan", ".log"},    {"tsan", ".log"},          {"samples", ".jsonl"}};
  return kSuffixes;
}

std::vector<GoldenCase> golden_cases() {
  std::vector<GoldenCase> cases;
  for (const auto& [tool, suffix] : raw_suffixes()) {
    const auto folder = golden_dir() / tool;
    if (!std::filesystem::is_directory(folder)) {
      continue;
    }
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
      const std::string name = entry.path().filename().string();
      if (name.size() <= suffix.size() ||
          name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
        continue;
      }
      const std::string stem = name.substr(0, name.size() - suffix.size());
      cases.push_back({tool, tool + "/" + name, tool + "/" + stem + ".expected.json"});
    }
  }
  std::sort(cases.begin(), cases.end(), [](const auto& a, const auto& b) { return a.raw < b.raw; });
  return cases;
}

class GoldenTest : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenTest, ParsesToTheExpectedJson) {
  const GoldenCase& golden = GetParam();
  std::ifstream expected_in(golden_dir() / golden.expected);
  ASSERT_TRUE(expected_in.good())
      << golden.expected
      << " is missing: run scripts/make-golden --update-only --dump BUILD/bin/parse_golden_dump";
  const auto expected = nlohmann::ordered_json::parse(expected_in);
  const auto actual = parse::parse_result_to_json(parse_golden(golden.tool, golden.raw));
  EXPECT_EQ(actual, expected) << "diff (expected -> actual):\n"
                              << nlohmann::ordered_json::diff(expected, actual).dump(2);
}

std::string case_name(const ::testing::TestParamInfo<GoldenCase>& info) {
  std::string name = info.param.raw;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      c = '_';
    }
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Golden, GoldenTest, ::testing::ValuesIn(golden_cases()), case_name);

TEST(GoldenFiles, EveryToolFolderHasCases) {
  for (const auto& [tool, suffix] : raw_suffixes()) {
    bool found = false;
    for (const auto& golden : golden_cases()) {
      found = found || golden.tool == tool;
    }
    EXPECT_TRUE(found) << "no golden log for " << tool;
  }
}

}  // namespace
}  // namespace plumb::golden

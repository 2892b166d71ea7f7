// CTest's own record of how long each test took: <build tree>/Testing/Temporary/CTestCostData.txt,
// which ctest rewrites after every run ("NAME RUNS AVERAGE-SECONDS" lines, then "---" and the
// names of the tests that failed last). plumb reads it for a test's native time.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

namespace plumb::core {

// Where ctest keeps its cost data in `build_tree`.
std::filesystem::path ctest_cost_data_path(const std::filesystem::path& build_tree);

// Each test's average time in seconds from a cost data file's text: the lines before "---" whose
// last two words are a run count and a time above zero (the name is the rest); a test named after
// "---" failed its last run (a timeout leaves its cost 0) and has no time; other lines are skipped.
std::map<std::string, double> parse_ctest_cost_data(std::string_view text);

// The cost data of `build_tree`, parsed; empty when ctest has not recorded any there.
std::map<std::string, double> read_ctest_cost_data(const std::filesystem::path& build_tree);

// `name` as a regular expression that matches exactly it ("^a\+b$"), for ctest -R/-E and plumb's
// --exclude-test.
std::string anchored_test_regex(std::string_view name);

}  // namespace plumb::core

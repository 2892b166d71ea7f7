#include "plumb/core/ctest_cost.hpp"

#include <charconv>
#include <cmath>
#include <sstream>

#include "plumb/core/text_file.hpp"

namespace plumb::core {
namespace {

// The last space-separated word of `line` and what is before it (trailing spaces dropped).
std::pair<std::string_view, std::string_view> split_last_word(std::string_view line) {
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) {
    line.remove_suffix(1);
  }
  const std::size_t space = line.rfind(' ');
  if (space == std::string_view::npos) {
    return {std::string_view(), line};
  }
  return {line.substr(0, space), line.substr(space + 1)};
}

}  // namespace

std::filesystem::path ctest_cost_data_path(const std::filesystem::path& build_tree) {
  return build_tree / "Testing" / "Temporary" / "CTestCostData.txt";
}

std::map<std::string, double> parse_ctest_cost_data(std::string_view text) {
  std::map<std::string, double> costs;
  std::istringstream lines{std::string(text)};
  std::string line;
  bool failed_list = false;
  while (std::getline(lines, line)) {
    if (line.rfind("---", 0) == 0) {
      failed_list = true;  // what follows names the tests that failed last: their cost is no time
      continue;
    }
    if (failed_list) {
      while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) {
        line.pop_back();
      }
      costs.erase(line);
      continue;
    }
    const auto [before_cost, cost_text] = split_last_word(line);
    const auto [name, runs_text] = split_last_word(before_cost);
    if (name.empty()) {
      continue;
    }
    long runs = 0;
    const auto runs_end = std::from_chars(runs_text.data(), runs_text.data() + runs_text.size(), runs);
    double cost = 0;
    std::istringstream cost_stream{std::string(cost_text)};
    cost_stream >> cost;
    if (runs_end.ec != std::errc() || runs_end.ptr != runs_text.data() + runs_text.size() || runs <= 0 ||
        cost_stream.fail() || !cost_stream.eof() || !std::isfinite(cost) || cost <= 0) {
      continue;
    }
    costs[std::string(name)] = cost;
  }
  return costs;
}

std::map<std::string, double> read_ctest_cost_data(const std::filesystem::path& build_tree) {
  const auto text = read_text_file(ctest_cost_data_path(build_tree));
  return text ? parse_ctest_cost_data(*text) : std::map<std::string, double>{};
}

std::string anchored_test_regex(std::string_view name) {
  std::string pattern = "^";
  for (const char c : name) {
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) {
      pattern += '\\';
    }
    pattern += c;
  }
  return pattern + "$";
}

}  // namespace plumb::core

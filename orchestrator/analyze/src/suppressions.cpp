#include "plumb/analyze/suppressions.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <toml++/toml.h>

#include "plumb/analyze/frames.hpp"
#include "plumb/core/errors.hpp"

namespace plumb::analyze {
namespace {

using core::UsageError;

// The top-level array of tables holding the entries.
constexpr std::string_view kEntriesKey = "suppression";

long line_of(const toml::node& node) {
  return static_cast<long>(node.source().begin.line);
}

[[noreturn]] void fail(const std::string& source, long line, const std::string& problem) {
  throw UsageError(core::located_message(source, line, problem));
}

bool is_leap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

// Whether `text` is a real calendar date spelled YYYY-MM-DD.
bool is_valid_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return false;
  }
  for (const std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') {
      return false;
    }
  }
  const int year = std::stoi(std::string(text.substr(0, 4)));
  const int month = std::stoi(std::string(text.substr(5, 2)));
  const int day = std::stoi(std::string(text.substr(8, 2)));
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) {
    return false;
  }
  const int days = kDays[month - 1] + (month == 2 && is_leap(year) ? 1 : 0);
  return day <= days;
}

std::string two_digits(unsigned value) {
  return (value < 10 ? "0" : "") + std::to_string(value);
}

// A string (or, for `expires`, a TOML date) field of an entry.
std::string required_string(const toml::table& entry, std::string_view key, const std::string& source) {
  const auto* node = entry.get(key);
  if (node == nullptr) {
    fail(source, line_of(entry), "suppression entry is missing \"" + std::string(key) + "\"");
  }
  const auto* text = node->as_string();
  if (text == nullptr || text->get().empty()) {
    fail(source, line_of(*node), "\"" + std::string(key) + "\" must be a non-empty string");
  }
  return text->get();
}

std::vector<std::string> required_strings(const toml::table& entry, std::string_view key,
                                          const std::string& source) {
  const auto* node = entry.get(key);
  if (node == nullptr) {
    fail(source, line_of(entry), "suppression entry is missing \"" + std::string(key) + "\"");
  }
  const auto* array = node->as_array();
  if (array == nullptr || array->empty()) {
    fail(source, line_of(*node), "\"" + std::string(key) + "\" must be a non-empty array of strings");
  }
  std::vector<std::string> values;
  for (const auto& element : *array) {
    const auto* text = element.as_string();
    if (text == nullptr || text->get().empty()) {
      fail(source, line_of(element), "\"" + std::string(key) + "\" must contain only non-empty strings");
    }
    values.push_back(text->get());
  }
  return values;
}

std::optional<std::string> optional_date(const toml::table& entry, const std::string& source) {
  const auto* node = entry.get("expires");
  if (node == nullptr) {
    return std::nullopt;
  }
  if (const auto* date = node->as_date()) {
    const auto& value = date->get();
    std::string text =
        std::to_string(value.year) + "-" + two_digits(value.month) + "-" + two_digits(value.day);
    if (!is_valid_date(text)) {
      fail(source, line_of(*node), "\"expires\" is not a valid date");
    }
    return text;
  }
  const auto* text = node->as_string();
  if (text == nullptr || !is_valid_date(text->get())) {
    fail(source, line_of(*node), "\"expires\" must be a date YYYY-MM-DD");
  }
  return text->get();
}

bool is_valid_id(std::string_view id) {
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.';
    if (!ok) {
      return false;
    }
  }
  return !id.empty();
}

Suppression parse_entry(const toml::table& entry, const std::string& source) {
  static const std::set<std::string_view> kKnownKeys = {"id", "kinds", "frames", "reason", "expires"};
  for (const auto& [key, value] : entry) {
    if (kKnownKeys.count(key.str()) == 0) {
      fail(source, static_cast<long>(key.source().begin.line),
           "unknown key \"" + std::string(key.str()) + "\" in suppression entry");
    }
  }
  Suppression result;
  result.line = line_of(entry);
  result.id = required_string(entry, "id", source);
  if (!is_valid_id(result.id)) {
    fail(source, line_of(*entry.get("id")),
         "id \"" + result.id + "\" may use only letters, digits, '-', '_', '.'");
  }
  const auto* kinds_node = entry.get("kinds");
  for (const auto& kind_text : required_strings(entry, "kinds", source)) {
    const auto kind = core::parse_finding_kind(kind_text);
    if (!kind) {
      fail(source, line_of(*kinds_node), "unknown finding kind \"" + kind_text + "\"");
    }
    result.kinds.push_back(*kind);
  }
  result.frames = required_strings(entry, "frames", source);
  result.reason = required_string(entry, "reason", source);
  result.expires = optional_date(entry, source);
  return result;
}

// Matches the pattern's frames from `p` on against the finding's names from `n` on; the pattern
// only has to cover a prefix of the stack (the innermost frames).
bool match_frames(const std::vector<std::string>& pattern, std::size_t p,
                  const std::vector<std::string>& names, std::size_t n) {
  if (p == pattern.size()) {
    return true;
  }
  if (pattern[p] == "...") {
    for (std::size_t skip = n; skip <= names.size(); ++skip) {
      if (match_frames(pattern, p + 1, names, skip)) {
        return true;
      }
    }
    return false;
  }
  return n < names.size() && glob_match(pattern[p], names[n]) && match_frames(pattern, p + 1, names, n + 1);
}

}  // namespace

SuppressionSet parse_suppressions(std::istream& in, const std::string& source_name) {
  toml::table document;
  try {
    document = toml::parse(in, source_name);
  } catch (const toml::parse_error& error) {
    fail(source_name, static_cast<long>(error.source().begin.line), std::string(error.description()));
  }
  SuppressionSet set;
  set.source = source_name;
  for (const auto& [key, value] : document) {
    if (key.str() != kEntriesKey) {
      fail(source_name, static_cast<long>(key.source().begin.line),
           "unknown top-level key \"" + std::string(key.str()) + "\" (entries are [[suppression]] tables)");
    }
  }
  const auto* entries_node = document.get(kEntriesKey);
  if (entries_node == nullptr) {
    return set;
  }
  const auto* entries = entries_node->as_array();
  if (entries == nullptr) {
    fail(source_name, line_of(*entries_node), "\"suppression\" must be an array of tables ([[suppression]])");
  }
  std::set<std::string> ids;
  for (const auto& element : *entries) {
    const auto* entry = element.as_table();
    if (entry == nullptr) {
      fail(source_name, line_of(element), "each suppression must be a table");
    }
    auto suppression = parse_entry(*entry, source_name);
    if (!ids.insert(suppression.id).second) {
      fail(source_name, line_of(*entry->get("id")), "duplicate suppression id \"" + suppression.id + "\"");
    }
    set.entries.push_back(std::move(suppression));
  }
  return set;
}

SuppressionSet load_suppressions(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw UsageError(core::located_message(path.string(), 0, "cannot read suppressions file"));
  }
  return parse_suppressions(in, path.string());
}

bool glob_match(std::string_view pattern, std::string_view text) {
  // Iterative matcher with single-star backtracking: linear in practice, no recursion.
  std::size_t p = 0;
  std::size_t t = 0;
  std::size_t star = std::string_view::npos;
  std::size_t resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') {
    ++p;
  }
  return p == pattern.size();
}

bool matches(const Suppression& entry, const core::Finding& finding) {
  if (std::find(entry.kinds.begin(), entry.kinds.end(), finding.kind) == entry.kinds.end()) {
    return false;
  }
  auto frames = user_frames(finding.frames);
  if (frames.empty()) {
    frames = finding.frames;
  }
  std::vector<std::string> names;
  names.reserve(frames.size());
  for (const auto& frame : frames) {
    names.push_back(normalize_function(frame.function));
  }
  return match_frames(entry.frames, 0, names, 0);
}

bool is_expired(const Suppression& entry, std::string_view today) {
  // YYYY-MM-DD compares correctly as text.
  return entry.expires.has_value() && !today.empty() && *entry.expires < today;
}

}  // namespace plumb::analyze

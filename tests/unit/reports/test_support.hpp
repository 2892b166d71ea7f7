// Small helpers shared by the renderer tests.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace plumb::reports::testing {

// How often `needle` occurs in `haystack` (non-overlapping).
inline std::size_t count_occurrences(std::string_view haystack, std::string_view needle) {
  std::size_t count = 0;
  for (auto at = haystack.find(needle); at != std::string_view::npos;
       at = haystack.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

// The text between the first `open` at or after `from` and the next `close`; empty when absent.
inline std::string between(std::string_view text, std::string_view open, std::string_view close,
                           std::size_t from = 0) {
  const auto start = text.find(open, from);
  if (start == std::string_view::npos) {
    return "";
  }
  const auto end = text.find(close, start + open.size());
  if (end == std::string_view::npos) {
    return "";
  }
  return std::string(text.substr(start + open.size(), end - start - open.size()));
}

}  // namespace plumb::reports::testing

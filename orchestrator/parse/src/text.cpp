#include "text.hpp"

#include <cctype>
#include <limits>

namespace plumb::parse::detail {

std::string_view trim(std::string_view text) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && blank(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && blank(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

std::optional<std::uint64_t> parse_count(std::string_view text) {
  text = trim(text);
  if (text.empty()) {
    return std::nullopt;
  }
  std::uint64_t value = 0;
  bool any_digit = false;
  for (const char c : text) {
    if (c == ',') {
      continue;
    }
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) {
      return std::nullopt;
    }
    value = value * 10 + digit;
    any_digit = true;
  }
  if (!any_digit) {
    return std::nullopt;
  }
  return value;
}

std::string_view strip_pid_prefix(std::string_view line) {
  if (line.size() < 5 || line.substr(0, 2) != "==") {
    return line;
  }
  const auto close = line.find("==", 2);
  if (close == std::string_view::npos || close == 2) {
    return line;
  }
  for (const char c : line.substr(2, close - 2)) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0) {
      return line;
    }
  }
  return line.substr(close + 2);
}

std::string_view pid_prefix(std::string_view line) {
  const std::string_view rest = strip_pid_prefix(line);
  if (rest.size() == line.size()) {
    return {};
  }
  return line.substr(2, line.size() - rest.size() - 4);
}

std::optional<std::string_view> after(std::string_view text, std::string_view marker) {
  const auto at = text.find(marker);
  if (at == std::string_view::npos) {
    return std::nullopt;
  }
  return text.substr(at + marker.size());
}

}  // namespace plumb::parse::detail

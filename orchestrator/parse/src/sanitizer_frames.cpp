#include "sanitizer_frames.hpp"

#include <cctype>
#include <string>

#include "text.hpp"

namespace plumb::parse::detail {
namespace {

bool all_digits(std::string_view text) {
  if (text.empty()) {
    return false;
  }
  for (const char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) {
      return false;
    }
  }
  return true;
}

// Removes a trailing "(BuildId: ...)" group.
std::string_view strip_build_id(std::string_view text) {
  const auto at = text.rfind(" (BuildId: ");
  if (at != std::string_view::npos && !text.empty() && text.back() == ')') {
    return trim(text.substr(0, at));
  }
  return text;
}

// Splits off a trailing "(module+0xoffset)" group into `object`.
std::string_view take_module(std::string_view text, std::string& object) {
  if (text.empty() || text.back() != ')') {
    return text;
  }
  const auto open = text.rfind('(');
  if (open == std::string_view::npos) {
    return text;
  }
  const auto inside = text.substr(open + 1, text.size() - open - 2);
  const auto plus = inside.rfind("+0x");
  if (plus == std::string_view::npos) {
    return text;
  }
  object = std::string(inside.substr(0, plus));
  return trim(text.substr(0, open));
}

// Splits off a trailing "file:line[:col]" location (or "<null>", "(?" "?)") into the frame.
std::string_view take_location(std::string_view text, core::Frame& frame) {
  for (const std::string_view unknown : {std::string_view("<null>"), std::string_view("(?"
                                                                                      "?)")}) {
    if (text.size() >= unknown.size() && text.substr(text.size() - unknown.size()) == unknown) {
      return trim(text.substr(0, text.size() - unknown.size()));
    }
  }
  const auto space = text.rfind(' ');
  if (space == std::string_view::npos) {
    return text;
  }
  std::string_view location = text.substr(space + 1);
  // file:line:col or file:line
  auto colon = location.rfind(':');
  if (colon == std::string_view::npos) {
    return text;
  }
  std::string_view last = location.substr(colon + 1);
  std::string_view file = location.substr(0, colon);
  std::string_view line_text = last;
  const auto second = file.rfind(':');
  if (second != std::string_view::npos && all_digits(file.substr(second + 1))) {
    line_text = file.substr(second + 1);
    file = file.substr(0, second);
  }
  if (!all_digits(line_text) || file.empty()) {
    return text;
  }
  frame.file = std::string(file);
  frame.line = static_cast<int>(parse_count(line_text).value_or(0));
  return trim(text.substr(0, space));
}

}  // namespace

std::optional<IndexedFrame> parse_frame_line(std::string_view line) {
  line = trim(line);
  if (line.size() < 2 || line.front() != '#') {
    return std::nullopt;
  }
  const auto space = line.find(' ');
  const auto number = line.substr(1, space == std::string_view::npos ? line.size() - 1 : space - 1);
  if (!all_digits(number)) {
    return std::nullopt;
  }
  IndexedFrame result;
  result.index = static_cast<int>(parse_count(number).value_or(0));
  if (space == std::string_view::npos) {
    return result;
  }
  std::string_view rest = trim(line.substr(space + 1));
  // ASan/LSan/UBSan print the pc first ("0x4f4b44 in main ..."); TSan does not.
  if (rest.substr(0, 2) == "0x") {
    const auto end = rest.find(' ');
    rest = end == std::string_view::npos ? std::string_view() : trim(rest.substr(end + 1));
    if (rest.substr(0, 3) == "in ") {
      rest = trim(rest.substr(3));
    }
  }
  rest = strip_build_id(rest);
  rest = take_module(rest, result.frame.object);
  rest = take_location(rest, result.frame);
  result.frame.function = std::string(rest);
  return result;
}

}  // namespace plumb::parse::detail

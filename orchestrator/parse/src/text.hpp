// Small text helpers shared by the line-oriented parsers (internal to plumb_parse).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace plumb::parse::detail {

// `text` without leading and trailing blanks (space, tab, CR, LF).
std::string_view trim(std::string_view text);

// The decimal number spelled by `text`, accepting memcheck's thousands separators ("1,024");
// nullopt for anything else, including Valgrind's test filter placeholder "...".
std::optional<std::uint64_t> parse_count(std::string_view text);

// `line` without a leading "==1234==" (or "==PID==") sanitizer/valgrind prefix.
std::string_view strip_pid_prefix(std::string_view line);

// The "1234" of a leading "==1234==" prefix; empty when `line` has none.
std::string_view pid_prefix(std::string_view line);

// The text after the first occurrence of `marker` in `text`, or nullopt when absent.
std::optional<std::string_view> after(std::string_view text, std::string_view marker);

}  // namespace plumb::parse::detail

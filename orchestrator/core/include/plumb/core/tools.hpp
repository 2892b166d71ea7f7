// The one table of the tools plumb runs programs under, and of the log formats it reads; every
// option check, config check, message and adapter dispatch reads these, none spells its own list.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace plumb::core {

// A tool a variant or `plumb exec` runs its program under.
struct ToolSpec {
  std::string_view name;            // As configured and reported: "memcheck", "asan", ...
  std::string_view log_format;      // The parser of its main log ("memcheck", "asan", ...); empty: none.
  std::string_view runtime_symbol;  // What an instrumented program references ("__asan_init"); empty: none.
  std::string_view runtime_name;    // The runtime, for messages ("AddressSanitizer"); empty: none.
};

// Every tool, in the order messages list them.
inline constexpr ToolSpec kTools[] = {
    {"memcheck", "memcheck", "", ""},
    {"massif", "massif", "", ""},
    {"asan", "asan", "__asan_init", "AddressSanitizer"},
    {"tsan", "tsan", "__tsan_init", "ThreadSanitizer"},
    {"native", "", "", ""},
};

// The log formats `plumb parse` and the pipeline read, each by its parser.
inline constexpr std::string_view kLogFormats[] = {"memcheck", "massif", "asan",   "lsan",
                                                   "ubsan",    "tsan",   "samples"};

// The tool named `name`, or nullptr.
const ToolSpec* find_tool(std::string_view name);

// The names of every tool, for an option's allowed values.
std::vector<std::string> tool_names();

// The names of every log format, for an option's allowed values.
std::vector<std::string> log_format_names();

// Names for a message: "memcheck, massif, asan, tsan or native".
std::string spelled_list(const std::vector<std::string>& names);

}  // namespace plumb::core

// Every parser behind one entry point: a tool name and a stream in, the model pieces out.
#pragma once

#include <istream>
#include <string_view>

#include "plumb/core/parse_result.hpp"

namespace plumb::parse {

// The tool names parse_log accepts: memcheck, massif, asan, lsan, ubsan, tsan, samples.
inline constexpr std::string_view kToolNames[] = {"memcheck", "massif", "asan",   "lsan",
                                                  "ubsan",    "tsan",   "samples"};

// Parses `in` with the parser of `tool`; throws core::UsageError for an unknown tool name.
core::ParseResult parse_log(std::string_view tool, std::istream& in);

}  // namespace plumb::parse

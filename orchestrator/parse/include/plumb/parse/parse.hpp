// Every parser behind one entry point: a tool name and a stream in, the model pieces out.
#pragma once

#include <istream>
#include <string_view>

#include "plumb/core/parse_result.hpp"

namespace plumb::parse {

// Parses `in` with the parser of `tool`, one of core::kLogFormats (tools.hpp); throws
// core::UsageError for any other name.
core::ParseResult parse_log(std::string_view tool, std::istream& in);

}  // namespace plumb::parse

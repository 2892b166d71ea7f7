// Every parser behind one entry point: a log format and a stream in, the model pieces out.
#pragma once

#include <istream>
#include <string_view>

#include "plumb/core/parse_result.hpp"
#include "plumb/core/tools.hpp"

namespace plumb::parse {

// Parses `in` with the parser of `format` (a name from the command line: core::require_log_format).
core::ParseResult parse_log(core::LogFormat format, std::istream& in);

}  // namespace plumb::parse

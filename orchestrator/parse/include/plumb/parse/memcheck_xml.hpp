// Valgrind memcheck's XML output (protocol 4, 5 and 6), parsed as a stream with expat.
#pragma once

#include <functional>
#include <istream>

#include "plumb/core/parse_result.hpp"

namespace plumb::parse {

// Receives each finding the moment its record closes, so a caller can keep O(1) memory.
using FindingSink = std::function<void(core::Finding&&)>;

// Streams `in` through expat and hands every finding to `sink`; the returned result carries
// everything else (tool suppressions, completeness, warnings) and no findings.
core::ParseResult stream_memcheck_xml(std::istream& in, const FindingSink& sink);

// Parses a whole memcheck XML log; a log cut off mid-run gives the findings before the cut
// and complete=false.
core::ParseResult parse_memcheck(std::istream& in);

}  // namespace plumb::parse

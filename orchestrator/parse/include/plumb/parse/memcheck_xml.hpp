// Valgrind memcheck's XML output (protocol 4, 5 and 6), parsed as a stream by a tokenizer made for it.
#pragma once

#include <functional>
#include <istream>

#include "plumb/core/parse_result.hpp"

namespace plumb::parse {

// Receives the findings of a log one at a time, so a caller can keep O(1) memory.
using FindingSink = std::function<void(core::Finding&&)>;

// Streams `in` and hands every finding to `sink`: each error the moment its record closes, and
// the loss records of the log's last leak check (the final one at exit; in a log cut off before
// it, the last one seen) when the log ends, earlier leak checks being superseded. The returned
// result carries everything else (tool suppressions, completeness, warnings) and no findings.
core::ParseResult stream_memcheck_xml(std::istream& in, const FindingSink& sink);

// Parses a whole memcheck XML log; a log cut off mid-run gives the findings before the cut
// and complete=false.
core::ParseResult parse_memcheck(std::istream& in);

}  // namespace plumb::parse

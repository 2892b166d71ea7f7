// What makes two tool records the same record, so that repeats merge as they stream.
#pragma once

#include <string>

#include "plumb/core/model.hpp"

namespace plumb::parse {

// Kind, the tool's own type, its message, every frame of every stack (function, file, line,
// object) and what the tool said each stack is (memcheck's auxwhat: "… a block of size 5"): records equal in all of these are the same record seen again, and the tool's own
// count of them is kept as occurrences. Records the tool told apart (another fd number, another
// alignment value) stay apart, so the findings still add up to the tool's summary.
std::string record_key(const core::Finding& finding);

// Whether repeats of a record of `kind` merge as they stream: every kind but the leaks (they follow
// leak rounds) and fd.leak (memcheck's protocol 4 records give no fd number, so two fds opened
// at one place are two equal records of two defects).
bool merges_repeats(core::FindingKind kind);

}  // namespace plumb::parse

// Valgrind massif output (massif.out.* and the harness's detailed_snapshot files).
#pragma once

#include <istream>

#include "plumb/core/parse_result.hpp"

namespace plumb::parse {

// Parses massif snapshots into growth series "massif_heap", "massif_heap_extra" and
// "massif_stacks" (x = snapshot number, bytes) and ranks the allocation sites of the detailed
// snapshots whose bytes grow (GrowthSite slopes are bytes per snapshot) on "massif_heap".
core::ParseResult parse_massif(std::istream& in);

}  // namespace plumb::parse

// Identity version 3 applied to one run's findings: the error class, what an access touched, which
// call in a function allocated, then the fingerprint (docs/ARCHITECTURE.md "Identity").
#pragma once

#include <map>
#include <string>
#include <vector>

#include "plumb/core/model.hpp"

namespace plumb::analyze {

// Where a finding's call positions are compared: its tool and the CTest suite (or variant) it ran
// in, keyed by variant name. One build and one tool number a function's calls the same way.
using SourceGroups = std::map<std::string, std::string>;

// Sets every finding's site, location and fingerprint. Findings come from classify() with their
// stacks stripped. A function that leaks at several calls of one allocator has its calls told
// apart by their order within it (among the calls its tool and suite report): the second call
// down the source is "name@file#2", the first plain "name@file", so an edit that moves lines keeps
// every identity and a second leak added below a first one is a new finding.
void assign_identity(std::vector<core::Finding>& findings, const SourceGroups& groups);

// The location an access touched, from the tool's words and the allocation site (already ranked):
// "global 'counter'", "block of 40 bytes from malloc at make@x.c", "heap block of 16 bytes from new
// at make@x.cpp+8" (a race's offset into the block).
std::string location_of(const core::Finding& finding, const std::string& allocation_site);

}  // namespace plumb::analyze

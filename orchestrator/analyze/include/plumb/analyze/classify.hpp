// What kind of memory error a finding is and what allocated the memory involved, read from the
// tools' own words, so that memcheck, gcc's and clang's sanitizers give one bug one description
// (identity version 3, docs/ARCHITECTURE.md "Identity").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "plumb/core/model.hpp"

namespace plumb::analyze {

// The canonical class of a memory error from its tool's type and address description: memcheck's
// kind and "Address .. is N bytes after a block of size M alloc'd", or the sanitizers' bug type
// (heap-buffer-overflow, attempting double-free, ...); Unclassified when the words name no class
// plumb knows; None for a finding that is not a memory error.
core::ErrorClass error_class_of(const core::Finding& finding);

// Whether the faulting access read or wrote, as the tool said ("Invalid read of size 4",
// "WRITE of size 1 at"); None when it did not say (a free, a jump).
core::Access access_of(const core::Finding& finding);

// The allocator a stack (innermost first, runtime frames still in) went through, one spelling for
// every tool: "malloc", "calloc", "realloc", "new", "new[]", "strdup", ...; the outermost of them
// when one calls another (strdup calls malloc); empty when the stack starts in user code.
std::string allocator_of(const std::vector<core::Frame>& frames);

// Whether a stack label says the stack allocated the memory involved ("Block was alloc'd at",
// "previously allocated by thread T0 here", "Location is heap block ... allocated by main thread",
// "Uninitialised value was created by a heap allocation").
bool is_allocation_label(std::string_view label);

// Whether a stack label names the other access of a race ("Previous write of size 4 at ..",
// helgrind's "This conflicts with a previous read").
bool is_previous_access_label(std::string_view label);

// Sets error_class, access and allocator of a finding fresh from a parser (its stacks not yet
// stripped of allocator frames): the allocator of a leak's own stack, of a memory error's or
// race's allocation stack.
void classify(core::Finding& finding);

}  // namespace plumb::analyze

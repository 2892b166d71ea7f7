#pragma once
// Internal: hides a pointer from the optimiser so a planted allocation cannot be elided, then
// forgets it (the volatile slot is overwritten, so no reference survives in memory).

namespace plumb::harness::detail {

// Publishes `pointer` through a volatile slot and clears the slot again.
void launder_and_drop(void* pointer);

}  // namespace plumb::harness::detail

#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "plumb/harness/runtime.hpp"

namespace plumb::harness {

// Live heap bytes from the allocator's own accounting, across all threads and arenas:
// glibc mallinfo2() (uordblks + hblkhd) natively, __sanitizer_get_current_allocated_bytes()
// under ASan/TSan. Under Valgrind the heap is not glibc's: nullopt (the Snapshotter measures it).
std::optional<std::uint64_t> allocator_live_bytes(Runtime runtime);

// The name of the heap source used under `runtime` ("mallinfo2", "sanitizer", "memcheck",
// "massif" or "unavailable").
std::string_view heap_source_name(Runtime runtime, bool snapshots_enabled);

// Live heap bytes for in-process checks: allocator_live_bytes natively and under sanitizers;
// under memcheck a quiet leak search and the sum of the bytes it found. nullopt elsewhere.
std::optional<std::uint64_t> live_heap_bytes_now();

}  // namespace plumb::harness

#pragma once
// The planted defects. Each lives in its own file under src/defects/ and is reachable only through
// --inject; the function names say which defect they are, so tools' top frames name them.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include <spectre/announcement.hpp>
#include <spectre/keys.hpp>
#include <spectre/pool.hpp>

namespace plumb::harness {

// leak-direct: allocates one buffer and loses the only pointer to it (definitely lost).
void plant_direct_leak();

// leak-indirect: loses a session struct whose two buffers are then reachable only through it.
void plant_indirect_leak();

// leak-per-iter=BYTES: allocates and fills `bytes` bytes and loses them; called every iteration.
void plant_per_iteration_leak(std::size_t bytes);

// listener-accumulation: registers one more scan listener (never removed) in a global registry.
void plant_listener_accumulation();

// Calls every registered listener with this iteration's match count; returns how many there are.
std::size_t notify_scan_listeners(std::uint64_t matched);

// cache-unbounded: records a few verdicts per iteration in a cache whose cap is disabled and
// whose keys change every iteration (an epoch baked into the key id), so it never evicts.
void plant_unbounded_cache(std::span<const spectre::Announcement> announcements, const spectre::KeyId& key,
                           std::uint64_t iteration);

// Accounted bytes of the unbounded cache (0 unless cache-unbounded is injected).
std::size_t unbounded_cache_bytes();

// closure-holds-input: registers a completion callback that captures this iteration's input buffer.
void plant_closure_holding_input(std::span<const spectre::Announcement> announcements,
                                 std::uint64_t iteration);

// thread-unjoined: starts one more worker thread that parks and is never joined.
void plant_unjoined_thread();

// Lets the parked workers finish (still unjoined) and waits until they have exited.
void release_unjoined_threads();

// race: counts view tags from the pool's workers into one unsynchronised global counter.
void plant_data_race(const spectre::WorkerPool& pool, std::span<const spectre::Announcement> announcements);

}  // namespace plumb::harness

// cache-unbounded: the harness's own verdict cache with its cap disabled and a key that changes every
// iteration (the scan epoch is mixed into the key id), so entries pile up and are never evicted.
#include <cstdint>
#include <cstring>
#include <limits>

#include <spectre/cache.hpp>

#include "plumb/harness/defects.hpp"

namespace plumb::harness {

namespace {

constexpr std::size_t kEntriesPerIteration = 4;

spectre::MemoryLru& epoch_cache() {
  // The cap is "disabled" by setting it to the largest size: eviction never triggers.
  static auto* cache = new spectre::MemoryLru(std::numeric_limits<std::size_t>::max());
  return *cache;
}

}  // namespace

__attribute__((noinline)) void plant_unbounded_cache(std::span<const spectre::Announcement> announcements,
                                                     const spectre::KeyId& key, std::uint64_t iteration) {
  spectre::CacheKey cache_key;
  cache_key.key = key;
  std::memcpy(cache_key.key.data(), &iteration, sizeof iteration);  // The bug: the epoch is part of the key.
  for (std::size_t i = 0; i < kEntriesPerIteration && i < announcements.size(); ++i) {
    cache_key.announcement = spectre::announcement_id(announcements[i]);
    epoch_cache().put(cache_key, spectre::Verdict::tag_rejected);
  }
}

std::size_t unbounded_cache_bytes() {
  return epoch_cache().bytes();
}

}  // namespace plumb::harness

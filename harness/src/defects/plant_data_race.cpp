// race: the pool's workers add into one plain global counter without synchronisation.
#include <cstdint>

#include "plumb/harness/defects.hpp"

// Externally visible so the compiler must keep every store to it.
std::uint64_t g_scan_leak_view_tags_seen = 0;

namespace plumb::harness {

__attribute__((noinline)) void plant_data_race(const spectre::WorkerPool& pool,
                                               std::span<const spectre::Announcement> announcements) {
  pool.parallel_for(announcements.size(), [&](std::size_t, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) g_scan_leak_view_tags_seen += announcements[i].view_tag;
  });
}

}  // namespace plumb::harness

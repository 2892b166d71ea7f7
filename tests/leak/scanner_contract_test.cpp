// The seed's specific checks against the scanner SDK, in process:
// the batch scan retains no copy of its input, the pool leaves no thread behind, and the scan
// cache stays under its byte cap in memory and on disk however much is put into it.
#include <gtest/gtest.h>

#include <valgrind/valgrind.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <thread>

#include <spectre/spectre.hpp>

#include "child_process.hpp"
#include "plumb/harness/heap_probe.hpp"
#include "plumb/harness/process_probes.hpp"

namespace plumb::leak_test {
namespace {

using harness::live_heap_bytes_now;
using harness::thread_count;

std::vector<spectre::Announcement> announcements_for(const spectre::RecipientKeys& ours,
                                                     const spectre::RecipientKeys& theirs, std::size_t count,
                                                     std::size_t metadata_bytes) {
  std::vector<spectre::Announcement> result;
  const std::vector<std::uint8_t> metadata(metadata_bytes, 0x42);
  for (std::size_t i = 0; i < count; ++i) {
    result.push_back(spectre::create_announcement((i % 8 == 0 ? ours : theirs).meta_address(), metadata));
  }
  return result;
}

TEST(ScannerContract, BatchScanLeavesItsInputCollectable) {
  const auto ours = spectre::RecipientKeys::generate();
  const auto theirs = spectre::RecipientKeys::generate();
  const std::size_t count = RUNNING_ON_VALGRIND ? 24 : 96;
  {  // Warm up whatever the first scan initialises once.
    const auto warm = announcements_for(ours, theirs, 4, 16);
    (void)spectre::scan_announcements(ours, warm);
  }
  const auto baseline = live_heap_bytes_now();
  if (!baseline) GTEST_SKIP() << "no live-heap counter under this runtime";

  std::uint64_t with_input = 0;
  std::uint64_t matched = 0;
  {
    auto input = std::make_unique<std::vector<spectre::Announcement>>(
        announcements_for(ours, theirs, count, spectre::kMaxMetadataBytes));
    with_input = *live_heap_bytes_now();
    {
      const spectre::ScanResult result = spectre::scan_announcements(ours, *input);
      matched = result.stats.matched;
    }
    input.reset();  // The caller drops the input after the scan returned.
  }
  const std::uint64_t after = *live_heap_bytes_now();
  const std::uint64_t input_bytes = with_input - *baseline;
  EXPECT_EQ(matched, (count + 7) / 8);
  ASSERT_GE(input_bytes, count * spectre::kMaxMetadataBytes);
  // A retained copy or reference would keep ~100% of the input alive; allocator caches keep a few
  // freed chunks (glibc's tcache holds up to 7 per size class), far below 10%.
  const std::uint64_t retained = after > *baseline ? after - *baseline : 0;
  EXPECT_LT(retained, input_bytes / 10)
      << "baseline " << *baseline << ", with input " << with_input << ", after " << after;
}

// Waits briefly for the kernel to reap exited tasks: join returns as the thread exits, and its
// /proc/self/task entry can outlive that by a moment.
std::uint64_t settled_thread_count(std::uint64_t expected) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  std::uint64_t now = *thread_count();
  while (now > expected && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    now = *thread_count();
  }
  return now;
}

TEST(ScannerContract, PoolScanAllJoinsEveryWorkerBeforeReturning) {
  const auto ours = spectre::RecipientKeys::generate();
  const auto theirs = spectre::RecipientKeys::generate();
  const auto announcements = announcements_for(ours, theirs, 32, 8);
  const spectre::WorkerPool pool(4);
  const spectre::ScanResult reference = spectre::scan_announcements(ours, announcements);

  (void)pool.scan_all(ours, announcements);  // First call: lets the runtime start what it starts once.
  const std::uint64_t before = settled_thread_count(*thread_count());

  std::atomic<std::uint64_t> most_seen{0};
  pool.parallel_for(announcements.size(), [&](std::size_t, std::size_t, std::size_t) {
    const std::uint64_t seen = thread_count().value_or(0);
    std::uint64_t previous = most_seen.load();
    while (seen > previous && !most_seen.compare_exchange_weak(previous, seen)) {
    }
  });
  EXPECT_GT(most_seen.load(), before) << "the pool should have run workers on threads of their own";
  EXPECT_EQ(settled_thread_count(before), before);

  for (int round = 0; round < 3; ++round) {
    const spectre::ScanResult result = pool.scan_all(ours, announcements);
    EXPECT_EQ(result.stats, reference.stats);
    EXPECT_EQ(settled_thread_count(before), before) << "after scan_all round " << round;
  }
}

std::uint64_t sqlite_files_bytes(const std::filesystem::path& path) {
  std::uint64_t total = 0;
  for (const char* suffix : {"", "-journal", "-wal", "-shm"}) {
    std::error_code error;
    const auto size = std::filesystem::file_size(path.string() + suffix, error);
    if (!error) total += size;
  }
  return total;
}

// A long run of distinct verdicts, several times what each layer's cap can hold: after every batch
// the memory layer's accounted bytes and the SQLite file on disk stay at or under their caps.
TEST(ScannerContract, CacheNeverExceedsItsCapUnderALongRun) {
  const TempDir dir;
  const std::filesystem::path store = std::filesystem::path(dir.path()) / "cache.sqlite";
  // The seed's 50 MB cap natively; small caps under tools that slow the cache code down 10-50x
  // (memcheck runs everything on a synthetic CPU; TSan instruments every container access).
#if defined(PLUMB_SANITIZER_THREAD)
  const bool slow = true;
#else
  const bool slow = RUNNING_ON_VALGRIND != 0;
#endif
  const std::size_t memory_cap = slow ? 256 * 1024 : spectre::kDefaultCacheCapBytes;
  const std::size_t store_cap = slow ? spectre::kMinStoreCapBytes : 4 * 1024 * 1024;
  spectre::ScanCache cache(memory_cap, store, store_cap);

  const std::size_t per_entry = spectre::MemoryLru::bytes_per_entry();
  const std::size_t memory_entries = memory_cap / per_entry;
  // Enough distinct entries to overflow the memory layer twice and the store many times over.
  const std::size_t total = std::max<std::size_t>(2 * memory_entries, slow ? 4'000 : 120'000);
  const std::size_t batch = slow ? 500 : 10'000;

  spectre::CacheKey key{};
  std::size_t largest_memory = 0;
  std::uint64_t largest_file = 0;
  for (std::size_t i = 0; i < total; ++i) {
    std::memcpy(key.announcement.data(), &i, sizeof i);
    key.announcement[31] = static_cast<std::uint8_t>(i * 131);
    cache.put(key, spectre::Verdict::tag_rejected);
    if ((i + 1) % batch == 0 || i + 1 == total) {
      cache.flush();
      largest_memory = std::max(largest_memory, cache.memory_bytes());
      largest_file = std::max<std::uint64_t>(largest_file, sqlite_files_bytes(store));
      ASSERT_LE(cache.memory_bytes(), memory_cap) << "after " << i + 1 << " entries";
      ASSERT_LE(cache.store_bytes(), store_cap) << "after " << i + 1 << " entries";
      ASSERT_LE(sqlite_files_bytes(store), store_cap) << "after " << i + 1 << " entries";
    }
  }
  // The run really pushed both layers against their caps.
  EXPECT_GT(largest_memory, memory_cap / 2);
  EXPECT_GT(largest_file, store_cap / 2);
  EXPECT_LT(cache.memory().size(), total);
  EXPECT_LT(cache.store()->rows(), total);
}

}  // namespace
}  // namespace plumb::leak_test

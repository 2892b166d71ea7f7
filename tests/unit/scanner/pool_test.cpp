#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "test_support.hpp"

namespace spectre {
namespace {

using testing::expect_same_result;
using testing::make_dataset;

// Threads of this process. The first thread a process creates may also start a runtime helper
// thread (ThreadSanitizer's background thread), so tests start and join one thread first.
std::size_t thread_count() {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/task")) ++count;
  return count;
}

// The thread count once the kernel has reaped exited tasks (up to 2 s): join returns as a thread
// exits, and its /proc/self/task entry can outlive that by a moment. A thread that was never
// joined stays, so the count stays above `expected`.
std::size_t settled_thread_count(std::size_t expected) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  std::size_t now = thread_count();
  while (now > expected && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    now = thread_count();
  }
  return now;
}

void settle_runtime_threads() {
  std::jthread([] {}).join();
}

TEST(Pool, SameResultsAsBatchForSeveralThreadCounts) {
  settle_runtime_threads();
  const auto data = make_dataset(2, 4, 20);
  for (const RecipientKeys& keys : data.recipients) {
    const ScanResult batch = scan_announcements(keys, data.announcements);
    for (unsigned threads : {1u, 2u, 3u, 4u}) {
      const std::size_t before = thread_count();
      const ScanResult pooled = WorkerPool(threads).scan_all(keys, data.announcements);
      // At most: an exiting thread counted in `before` may be gone by now.
      EXPECT_LE(settled_thread_count(before), before) << threads << " threads";
      expect_same_result(pooled, batch);
    }
  }
}

TEST(Pool, MoreThreadsThanItemsAndEmptyInput) {
  const auto data = make_dataset(1, 2, 1);
  const ScanResult batch = scan_announcements(data.recipients[0], data.announcements);
  expect_same_result(WorkerPool(8).scan_all(data.recipients[0], data.announcements), batch);
  const ScanResult empty = WorkerPool(4).scan_all(data.recipients[0], {});
  EXPECT_TRUE(empty.matches.empty());
  EXPECT_EQ(empty.stats.scanned, 0u);
  EXPECT_GE(WorkerPool().threads(), 1u);
  EXPECT_EQ(WorkerPool(0).threads(), 1u);
}

TEST(Pool, SlicesCoverTheRangeOnce) {
  constexpr std::size_t kCount = 103;
  std::vector<std::atomic<int>> visits(kCount);
  WorkerPool(4).parallel_for(kCount, [&](std::size_t, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) visits[i].fetch_add(1);
  });
  for (const auto& visit : visits) EXPECT_EQ(visit.load(), 1);
}

TEST(Pool, FirstExceptionInSliceOrderIsPropagatedAfterJoiningAll) {
  settle_runtime_threads();
  const std::size_t before = thread_count();
  std::atomic<int> finished{0};
  try {
    WorkerPool(4).parallel_for(40, [&](std::size_t slice, std::size_t, std::size_t) {
      if (slice == 1) throw std::runtime_error("slice 1");
      if (slice == 3) throw std::logic_error("slice 3");
      finished.fetch_add(1);
    });
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& error) {
    EXPECT_STREQ(error.what(), "slice 1");
  }
  EXPECT_EQ(finished.load(), 2);
  EXPECT_EQ(thread_count(), before);
}

}  // namespace
}  // namespace spectre

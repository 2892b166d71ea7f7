#pragma once
// Parallel scanning over a fixed number of threads, started per call and joined before returning.

#include <cstddef>
#include <functional>
#include <span>

#include "spectre/announcement.hpp"
#include "spectre/keys.hpp"
#include "spectre/scan.hpp"

namespace spectre {

// Splits scans over N threads. Design: the pool keeps NO threads between calls; each call starts
// its workers and joins every one of them before it returns (also when a worker throws), so no
// thread outlives scan_all/parallel_for. The caller's thread works as one of the N.
class WorkerPool {
 public:
  // A pool of `threads` workers; 0 means 1. Default: std::thread::hardware_concurrency() (or 1).
  explicit WorkerPool(unsigned threads = default_threads()) noexcept;
  // The number of cores reported by the system, at least 1.
  static unsigned default_threads() noexcept;
  // The configured number of workers.
  unsigned threads() const noexcept { return threads_; }

  // Scans like scan_announcements, in parallel: same matches, same order, same counters. Threads
  // take small chunks from a shared counter (load balancing); results are merged in input order.
  // The exception of the earliest failing chunk is rethrown after all threads joined.
  ScanResult scan_all(const RecipientKeys& keys, std::span<const Announcement> announcements) const;

  // Calls `work(slice, begin, end)` for min(threads, count) contiguous slices covering [0, count),
  // concurrently; rethrows the first exception in slice order after joining every thread.
  void parallel_for(
      std::size_t count,
      const std::function<void(std::size_t slice, std::size_t begin, std::size_t end)>& work) const;

 private:
  unsigned threads_;
};

}  // namespace spectre

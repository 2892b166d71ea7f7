#include "spectre/pool.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>
#include <vector>

namespace spectre {

WorkerPool::WorkerPool(unsigned threads) noexcept : threads_(threads == 0 ? 1 : threads) {}

unsigned WorkerPool::default_threads() noexcept {
  const unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : cores;
}

void WorkerPool::parallel_for(
    std::size_t count,
    const std::function<void(std::size_t slice, std::size_t begin, std::size_t end)>& work) const {
  if (count == 0) return;
  const std::size_t slices = std::min<std::size_t>(threads_, count);
  std::vector<std::exception_ptr> errors(slices);
  auto run_slice = [&](std::size_t slice) {
    // Balanced contiguous slices: the first count % slices get one extra element.
    const std::size_t base = count / slices;
    const std::size_t extra = count % slices;
    const std::size_t begin = slice * base + std::min(slice, extra);
    const std::size_t end = begin + base + (slice < extra ? 1 : 0);
    try {
      work(slice, begin, end);
    } catch (...) {
      errors[slice] = std::current_exception();
    }
  };
  {
    // jthreads join in their destructor, so every thread is joined even if starting one throws.
    std::vector<std::jthread> workers;
    workers.reserve(slices - 1);
    for (std::size_t slice = 1; slice < slices; ++slice) workers.emplace_back(run_slice, slice);
    run_slice(0);
  }
  for (const std::exception_ptr& error : errors) {
    if (error) std::rethrow_exception(error);
  }
}

// Work is handed out in small chunks from a shared counter rather than one fixed slice per thread, so a
// thread the OS deschedules (a loaded machine) does not leave the others idle at the end. Each chunk's
// result lands in its own slot and the slots are concatenated in chunk order: the output is identical
// to the batch scan whatever the interleaving.
ScanResult WorkerPool::scan_all(const RecipientKeys& keys,
                                std::span<const Announcement> announcements) const {
  const std::size_t count = announcements.size();
  const std::size_t workers = std::min<std::size_t>(threads_, std::max<std::size_t>(count, 1));
  const std::size_t chunk = std::clamp<std::size_t>(count / (workers * 8), 1, 64);
  const std::size_t chunks = (count + chunk - 1) / chunk;
  std::vector<ScanResult> partial(chunks);
  std::vector<std::exception_ptr> errors(chunks);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  parallel_for(workers, [&](std::size_t, std::size_t, std::size_t) {
    for (std::size_t c = next.fetch_add(1); c < chunks && !failed.load(); c = next.fetch_add(1)) {
      try {
        partial[c] =
            scan_announcements(keys, announcements.subspan(c * chunk, std::min(chunk, count - c * chunk)));
      } catch (...) {
        errors[c] = std::current_exception();
        failed.store(true);
      }
    }
  });
  for (const std::exception_ptr& error : errors) {
    if (error) std::rethrow_exception(error);
  }
  ScanResult result;
  std::size_t total_matches = 0;
  for (const ScanResult& part : partial) total_matches += part.matches.size();
  result.matches.reserve(total_matches);
  for (std::size_t c = 0; c < chunks; ++c) {
    for (Match& match : partial[c].matches) {
      match.index += c * chunk;
      result.matches.push_back(std::move(match));
    }
    result.stats += partial[c].stats;
  }
  return result;
}

}  // namespace spectre

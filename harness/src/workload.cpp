#include "plumb/harness/workload.hpp"

#include <unistd.h>

#include <stdexcept>
#include <string>

#include <spectre/stream.hpp>

namespace plumb::harness {

Workload::Workload(const Options& options, const Dataset& dataset)
    : options_(options),
      dataset_(dataset),
      pool_(options.threads == 0 ? spectre::WorkerPool::default_threads() : options.threads) {
  if (options.mode == Mode::Stream) {
    stream_file_ = std::filesystem::temp_directory_path() /
                   ("scan_leak-" + std::to_string(::getpid()) + "-" + std::to_string(options.seed) + ".ann");
    spectre::write_announcement_file(*stream_file_, dataset.announcements);
  }
  if (options.mode == Mode::Cached) {
    cache_ = options.cache_file ? std::make_unique<spectre::ScanCache>(
                                      options.cache_cap_bytes, *options.cache_file, options.cache_cap_bytes)
                                : std::make_unique<spectre::ScanCache>(options.cache_cap_bytes);
  }
}

Workload::~Workload() {
  if (stream_file_) {
    std::error_code ignored;
    std::filesystem::remove(*stream_file_, ignored);
  }
}

void Workload::run_iteration() {
  switch (options_.mode) {
    case Mode::Batch:
      check(spectre::scan_announcements(dataset_.keys, dataset_.announcements).stats);
      return;
    case Mode::Pool:
      check(pool_.scan_all(dataset_.keys, dataset_.announcements).stats);
      return;
    case Mode::Stream: {
      spectre::FileSource source(*stream_file_);
      std::uint64_t delivered = 0;
      const spectre::ScanStats stats = spectre::scan_stream(
          dataset_.keys, source, [&](spectre::Match&&, const spectre::Announcement&) { ++delivered; });
      if (delivered != stats.matched)
        throw std::runtime_error("stream mode: the sink saw a different match count");
      check(stats);
      return;
    }
    case Mode::Cached: {
      const spectre::ScanResult result = spectre::scan_cached(dataset_.keys, dataset_.announcements, *cache_);
      cache_->flush();
      check(result.stats);
      return;
    }
  }
}

std::uint64_t Workload::cache_bytes() {
  if (!cache_) return 0;
  return cache_->memory_bytes() + cache_->store_bytes();
}

void Workload::check(const spectre::ScanStats& stats) const {
  if (stats.scanned != dataset_.announcements.size() || stats.matched != dataset_.expected_matches ||
      stats.small_order_point != dataset_.expected_small_order) {
    throw std::runtime_error("scan result is wrong: scanned " + std::to_string(stats.scanned) + "/" +
                             std::to_string(dataset_.announcements.size()) + ", matched " +
                             std::to_string(stats.matched) + "/" + std::to_string(dataset_.expected_matches) +
                             ", small-order " + std::to_string(stats.small_order_point) + "/" +
                             std::to_string(dataset_.expected_small_order));
  }
}

}  // namespace plumb::harness

#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>

#include <spectre/cache.hpp>
#include <spectre/pool.hpp>
#include <spectre/scan.hpp>

#include "plumb/harness/dataset.hpp"
#include "plumb/harness/options.hpp"

namespace plumb::harness {

// One mode's hot loop body: scans the dataset once per call and checks the result.
class Workload {
 public:
  // Prepares `mode` over `dataset` (stream mode writes the announcement file once).
  Workload(const Options& options, const Dataset& dataset);
  ~Workload();
  Workload(const Workload&) = delete;
  Workload& operator=(const Workload&) = delete;

  // Runs one iteration; throws std::runtime_error when the scan's counters are not the expected ones.
  void run_iteration();

  // Bytes held by the scan cache (memory layer + SQLite file); 0 outside cached mode.
  std::uint64_t cache_bytes();

  // The pool used by pool mode and by the race defect.
  const spectre::WorkerPool& pool() const { return pool_; }

 private:
  void check(const spectre::ScanStats& stats) const;
  const Options& options_;
  const Dataset& dataset_;
  spectre::WorkerPool pool_;
  std::optional<std::filesystem::path> stream_file_;
  std::unique_ptr<spectre::ScanCache> cache_;
};

}  // namespace plumb::harness

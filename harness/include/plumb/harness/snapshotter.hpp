#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>

#include "plumb/harness/runtime.hpp"

namespace plumb::harness {

// Takes a heap snapshot at each sample, the way the runtime allows: a massif detailed snapshot to
// a numbered file, a memcheck added-leak-check, or an LSan recoverable leak check. Natively and
// under TSan it does nothing.
class Snapshotter {
 public:
  // A snapshotter for `runtime`; massif files go to `dir` (none are written without it).
  Snapshotter(Runtime runtime, std::optional<std::filesystem::path> dir, bool enabled);

  // Takes snapshot number `sequence`; returns the live heap bytes the tool measured, when it did
  // (memcheck: bytes found by the leak search; massif: mem_heap_B of the snapshot).
  std::optional<std::uint64_t> take(std::uint64_t sequence);

  // Number of snapshot files written so far.
  std::uint64_t files_written() const { return files_written_; }

 private:
  Runtime runtime_;
  std::optional<std::filesystem::path> dir_;
  bool enabled_;
  std::uint64_t files_written_ = 0;
};

// Reads mem_heap_B of the last snapshot in a massif output file; nullopt when absent.
std::optional<std::uint64_t> massif_heap_bytes(const std::filesystem::path& file);

}  // namespace plumb::harness

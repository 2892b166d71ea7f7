#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace plumb::harness {

// When scan_leak reports progress on stderr.
enum class ProgressMode { Auto, On, Off };

// What one progress line says: where the loop is and what the process holds right now.
struct ProgressState {
  std::uint64_t iteration = 0;   // Completed iterations.
  std::uint64_t iterations = 0;  // Iterations asked for.
  std::uint64_t scans_per_iteration = 0;
  double elapsed_s = 0;
  std::optional<std::uint64_t> rss_bytes;
  std::optional<std::uint64_t> heap_bytes;  // At the last sample; nullopt when not measurable.
};

// One line, e.g. "scan_leak: progress 1200/10000 iterations (12.0%), 54.1k scans/s, elapsed 3m41s,
// ETA 27m02s, rss 6.9 MB, heap 1.9 MB" (no trailing newline). The rate and ETA are over the whole
// run so far; before the first iteration completes they read "?".
std::string progress_line(const ProgressState& state);

// Decides when a progress line is due: never when off, every `interval` of wall time otherwise.
class ProgressClock {
 public:
  using Clock = std::chrono::steady_clock;

  // `enabled` is the resolved mode (Auto already turned into on or off); `interval` must be > 0.
  ProgressClock(bool enabled, std::chrono::milliseconds interval, Clock::time_point start);

  // True when a line is due at `now`; each call that returns true starts the next interval.
  bool due(Clock::time_point now);

 private:
  bool enabled_;
  std::chrono::milliseconds interval_;
  Clock::time_point next_;
};

// Auto resolved: on when stderr is a terminal, off otherwise.
bool progress_enabled(ProgressMode mode);

}  // namespace plumb::harness

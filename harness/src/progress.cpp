#include "plumb/harness/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace plumb::harness {
namespace {

std::string duration_text(double seconds) {
  const auto whole = static_cast<unsigned long long>(seconds + 0.5);
  char text[48];
  if (seconds < 10) {
    std::snprintf(text, sizeof text, "%.1fs", seconds);
  } else if (whole < 60) {
    std::snprintf(text, sizeof text, "%llus", whole);
  } else if (whole < 3600) {
    std::snprintf(text, sizeof text, "%llum%02llus", whole / 60, whole % 60);
  } else {
    std::snprintf(text, sizeof text, "%lluh%02llum", whole / 3600, whole / 60 % 60);
  }
  return text;
}

std::string megabytes(std::uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
  return text;
}

std::string rate_text(double per_second) {
  char text[32];
  if (per_second >= 1e6) {
    std::snprintf(text, sizeof text, "%.2fM", per_second / 1e6);
  } else if (per_second >= 1e3) {
    std::snprintf(text, sizeof text, "%.1fk", per_second / 1e3);
  } else {
    std::snprintf(text, sizeof text, "%.1f", per_second);
  }
  return text;
}

}  // namespace

std::string progress_line(const ProgressState& state) {
  char head[96];
  const double share = state.iterations == 0 ? 0.0
                                             : 100.0 * static_cast<double>(state.iteration) /
                                                   static_cast<double>(state.iterations);
  std::snprintf(head, sizeof head, "scan_leak: progress %llu/%llu iterations (%.1f%%)",
                static_cast<unsigned long long>(state.iteration),
                static_cast<unsigned long long>(state.iterations), share);
  std::string line = head;
  const bool measured = state.iteration > 0 && state.elapsed_s > 0;
  if (measured) {
    const double per_iteration = state.elapsed_s / static_cast<double>(state.iteration);
    const double scans =
        static_cast<double>(state.iteration) * static_cast<double>(state.scans_per_iteration);
    line += ", " + rate_text(scans / state.elapsed_s) + " scans/s";
    line += ", elapsed " + duration_text(state.elapsed_s);
    line += ", ETA " + duration_text(per_iteration * static_cast<double>(state.iterations - state.iteration));
  } else {
    line += ", ? scans/s, elapsed " + duration_text(state.elapsed_s) + ", ETA ?";
  }
  line += ", rss " + (state.rss_bytes ? megabytes(*state.rss_bytes) : std::string("?"));
  line += ", heap " + (state.heap_bytes ? megabytes(*state.heap_bytes) : std::string("unavailable"));
  return line;
}

ProgressClock::ProgressClock(bool enabled, std::chrono::milliseconds interval, Clock::time_point start)
    : enabled_(enabled), interval_(interval), next_(start + interval) {}

bool ProgressClock::due(Clock::time_point now) {
  if (!enabled_ || now < next_) return false;
  while (next_ <= now) next_ += interval_;
  return true;
}

bool progress_enabled(ProgressMode mode) {
  switch (mode) {
    case ProgressMode::On:
      return true;
    case ProgressMode::Off:
      return false;
    case ProgressMode::Auto:
      return isatty(STDERR_FILENO) == 1;
  }
  return false;
}

}  // namespace plumb::harness

#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "plumb/harness/defect.hpp"
#include "plumb/harness/progress.hpp"

namespace plumb::harness {

// How each iteration drives the scanner.
enum class Mode { Batch, Stream, Pool, Cached };

// The command-line spelling of a mode ("batch", "stream", "pool", "cached").
std::string_view to_string(Mode mode);

// Slopes above which a series fails, per iteration and in each metric's own unit.
struct Thresholds {
  double rss_bytes = 512;  // --max-rss-kb-per-iter 0.5
  double heap_bytes = 4;
  double threads = 0.01;
  double fds = 0.01;
  double cache_bytes = 8;
};

// Which Valgrind tool the harness runs under, when it cannot tell by itself.
enum class ValgrindTool { Auto, Memcheck, Massif };

// Everything one scan_leak run needs, as parsed from the command line.
struct Options {
  std::size_t announcements = 10'000;
  std::uint64_t iterations = 10'000;
  Mode mode = Mode::Batch;
  unsigned threads = 0;  // Pool workers; 0 = the SDK's default (hardware concurrency).
  std::uint64_t seed = 1;
  double match_fraction = 0.01;         // Share of announcements addressed to the test keys.
  std::uint64_t sample_every = 0;       // 0 = auto: iterations / 200, at least 1.
  std::optional<std::uint64_t> warmup;  // Default: iterations / 10.
  std::optional<std::filesystem::path> samples_path;
  std::optional<std::filesystem::path> snapshot_dir;
  bool snapshots = true;  // Valgrind/LSan snapshots and leak checks at each sample.
  ValgrindTool valgrind_tool = ValgrindTool::Auto;
  Injection inject;
  Thresholds thresholds;
  std::size_t cache_cap_bytes = 50u * 1024u * 1024u;
  std::optional<std::filesystem::path> cache_file;
  bool report_first_failure = false;
  std::size_t series_capacity = 1024;          // Most points kept per metric for the fit (decimated beyond).
  ProgressMode progress = ProgressMode::Auto;  // Progress lines on stderr (auto: when it is a terminal).
  double progress_every_s = 10;                // Seconds between progress lines.

  // The sampling interval after resolving "auto".
  std::uint64_t effective_sample_every() const;
  // The warm-up after resolving the default.
  std::uint64_t effective_warmup() const;
};

}  // namespace plumb::harness

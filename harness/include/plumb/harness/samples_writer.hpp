#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "plumb/harness/growth_verdict.hpp"
#include "plumb/harness/options.hpp"

namespace plumb::harness {

// One sample of every metric after `iteration` completed iterations.
struct Sample {
  std::uint64_t iteration = 0;
  double t_s = 0;
  std::uint64_t rss = 0;
  std::optional<std::uint64_t> heap;  // null when the runtime cannot measure it
  std::uint64_t threads = 0;
  std::uint64_t fds = 0;
  std::uint64_t cache_bytes = 0;
};

// A series verdict plus, with --report-first-failure, the first iteration the running verdict failed.
struct SummarySeries {
  SeriesVerdict verdict;
  std::optional<std::optional<std::uint64_t>> first_failure;  // outer: reported at all
};

// The meta line (first line of the samples file) as one JSON object without a newline: the run's
// settings, where the heap figure comes from, the runtime, and the metrics the harness judges
// (`judged`), so a reader of a file cut short can judge the same ones.
std::string meta_line(const Options& options, std::string_view heap_source, std::string_view runtime,
                      const std::vector<std::string>& judged);

// A sample line as one JSON object without a newline.
std::string sample_line(const Sample& sample);

// The summary line (last line of the samples file and of stdout) as one JSON object.
std::string summary_line(bool fail, const std::vector<SummarySeries>& series);

}  // namespace plumb::harness

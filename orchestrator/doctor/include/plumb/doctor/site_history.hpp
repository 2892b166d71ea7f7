// Live bytes per allocation site over time, from a heaptrack trace: each stack reduced to its site
// by plumb's identity rules, each site's outstanding bytes sampled at a fixed interval in memory
// that does not grow with the length of the trace.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "plumb/core/model.hpp"
#include "plumb/doctor/heaptrack_trace.hpp"

namespace plumb::doctor {

// One allocation site and what it did while recorded.
struct SiteRecord {
  std::string key;                 // Its identity, e.g. "remember@grow.c" (analyze::frame_identity).
  std::vector<core::Frame> stack;  // The stack that allocated the most bytes there, innermost first.
  core::Frame at;                  // The frame of `stack` the site is at (its identity frame).
  std::int64_t live_bytes = 0;     // Allocated while recorded and not freed yet.
  std::uint64_t allocations = 0;   // Blocks allocated.
  std::uint64_t frees = 0;         // Blocks allocated while recorded and freed.
  std::uint64_t allocated_bytes = 0;
  std::vector<double> live;        // Live bytes at each of SiteHistory::times(); 0 before it first allocated.
};

// Collects SiteRecords from TraceReader events; the sampling interval doubles (and every other
// sample is dropped) whenever the samples would pass `max_samples`, so memory is bounded by
// sites × max_samples whatever the length of the trace.
class SiteHistory : public TraceSink {
 public:
  // Samples every `interval_ms` (at most `max_samples` kept, at least 16); `reader` names stacks.
  SiteHistory(const TraceReader& reader, double interval_ms, std::size_t max_samples = 600);

  void on_time(std::uint64_t ms) override;
  void on_allocation(std::uint64_t size, std::uint32_t trace) override;
  void on_free(std::uint64_t size, std::uint32_t trace) override;

  // Takes a last sample at the last time stamp seen (call once the trace is read).
  void finish();

  // Seconds since recording began, one per sample.
  const std::vector<double>& times() const { return times_; }

  // Every site seen, in the order first seen.
  const std::vector<SiteRecord>& sites() const { return sites_; }

 private:
  std::size_t site_of(std::uint32_t trace);
  void sample(std::uint64_t ms);

  const TraceReader& reader_;
  double interval_ms_;
  std::size_t max_samples_;
  double next_ms_ = 0;
  std::uint64_t last_ms_ = 0;
  bool any_time_ = false;
  std::vector<double> times_;
  std::vector<SiteRecord> sites_;
  std::vector<std::uint32_t> site_of_trace_;        // trace index → site index + 1; 0: not yet known.
  std::vector<std::uint64_t> bytes_of_trace_;       // Bytes allocated from each trace, to pick a site's stack.
  std::vector<std::uint32_t> stack_trace_of_site_;  // The trace a site's stack was taken from.
  std::unordered_map<std::string, std::size_t> index_of_key_;  // Site key → index in sites_.
};

}  // namespace plumb::doctor

// From a heaptrack trace file to the growing allocation sites: the file read as a stream (through
// zstd or gzip when compressed), each site's live bytes over time judged, and the bytes still live
// at the end by stack, for a flame graph.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "plumb/doctor/heaptrack_trace.hpp"
#include "plumb/doctor/site_verdict.hpp"
#include "plumb/profile/folded.hpp"
#include "plumb/run/process.hpp"

namespace plumb::doctor {

// What a trace file says about the sites of the process it recorded.
struct SiteAnalysis {
  TraceSummary summary;
  bool complete = true;            // Read to its end, decompressed without error, nothing unreadable.
  std::string incomplete_reason;   // Why not, when not complete.
  double recorded_s = 0;           // From the first to the last time stamp.
  double confidence = 0.95;        // Of the sites' slope intervals.
  std::vector<SiteVerdict> sites;  // judge_sites' list.
  profile::FoldedProfile live_at_end;  // Bytes allocated while recorded and still live at its end, by stack.
};

// How to read and judge a trace.
struct SiteOptions {
  SiteThresholds thresholds;
  double warmup_s = 0;          // Seconds of the recording left out of the fits.
  double rss_slope_per_s = 0;   // The process's RSS slope over the same watch, for each site's share.
  double interval_ms = 100;     // Sampling interval of the live bytes (doubles on long traces).
};

// Reads `trace` (heaptrack's .zst or .gz, or plain text) in memory bounded by its sites, not its
// length. Throws core::UsageError for a file that is not a heaptrack trace (names file:line) and
// core::InfrastructureError when it cannot be opened or its decompressor (zstd, gzip; started through
// `runner`, in its own process group) cannot be started.
SiteAnalysis analyse_trace(const std::filesystem::path& trace, const SiteOptions& options, run::ProcessRunner& runner);

// The same from a stream of the trace's text lines (`source` names it in messages).
SiteAnalysis analyse_trace(std::istream& in, const std::string& source, const SiteOptions& options);

}  // namespace plumb::doctor

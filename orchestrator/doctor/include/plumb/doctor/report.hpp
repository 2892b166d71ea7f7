// The doctor's diagnosis as a plumb report (growth series and findings), so every renderer can show it.
#pragma once

#include <string>
#include <vector>

#include "plumb/analyze/analyze.hpp"
#include "plumb/core/model.hpp"
#include "plumb/doctor/diagnosis.hpp"
#include "plumb/doctor/site_analysis.hpp"

namespace plumb::doctor {

// What was observed, for the report's variant entry.
struct ObservedProcess {
  std::string command;  // Shell-quoted argv, or "pid N".
  std::string repro;    // The doctor command line that watches it again; empty: derived from `command`.
  double duration_s = 0;
  bool exited_early = false;
  std::string generated_at;  // ISO-8601 UTC.
  std::string run_id;        // The report set's id; empty: a fresh random one.
  std::vector<std::string> logs;  // The started command's output files, relative to the report folder.
};

// What recording the allocation sites gave: nothing asked, a trace read, or why there is none.
struct SiteRecording {
  bool requested = false;              // --sites was given.
  const SiteAnalysis* analysis = nullptr;  // The trace read; nullptr when there is none.
  std::string trace_log;               // The trace file, relative to the report folder.
  std::vector<std::string> logs;       // Every other file the recording left (gdb's output, the flame graph).
  std::vector<std::string> errors;     // Why the sites cannot be (fully) judged: attach refused, cut short...
  std::vector<std::string> notes;      // What was done, e.g. "recording stopped after 10.2 s; pid 42 runs on".
};

// How many sites that do not grow (plateaus, churn) the report keeps for context.
inline constexpr std::size_t kContextSites = 5;

// The report, decided by analysis like every other: one variant "doctor", one growth series per
// /proc metric (x = seconds since the start, slopes per second) and per reported site (live bytes
// over the recording), a heap.growth / thread.leak / fd.leak finding per growing metric and a
// heap.growth finding at each growing site (its stack, fingerprinted, suppressible, baselined);
// an inconclusive watch or a recording that failed is an error, never a pass.
core::Report to_report(const Diagnosis& diagnosis, const ObservedProcess& process, const SiteRecording& sites,
                       const analyze::AnalysisInputs& inputs);

// The same without site recording and with the default gate.
core::Report to_report(const Diagnosis& diagnosis, const ObservedProcess& process);

// The metric name of a site's live-bytes series and of its finding ("live bytes at remember@grow.c").
std::string site_metric(const SiteVerdict& site);

// The growing sites as human lines, largest slope first (at most `max_sites`), each with its
// numbers and stack, then one line on plateaus and churn; "no growing allocation site" when none.
std::vector<std::string> describe_sites(const SiteAnalysis& analysis, std::size_t max_sites = 10);

}  // namespace plumb::doctor

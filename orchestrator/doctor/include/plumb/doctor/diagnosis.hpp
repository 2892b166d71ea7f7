// From a series of /proc samples to a diagnosis: what grows (robust slopes), and how busy the process is.
#pragma once

#include <string>
#include <vector>

#include "plumb/core/model.hpp"
#include "plumb/doctor/proc_sample.hpp"

namespace plumb::doctor {

// When a slope counts as growth. A metric grows when its Theil-Sen slope's whole confidence
// interval is above zero AND the slope exceeds max(rate threshold, minimum growth / observed window):
// a short observation needs a steep slope, a long one catches a slow leak.
struct Thresholds {
  double rss_kb_per_s = 8;           // Sustained RSS growth rate that is a leak however long we watch.
  double min_rss_growth_kb = 1024;   // RSS growth over the window below which nothing is flagged.
  double threads_per_min = 1;        // Sustained thread-count growth rate.
  double min_thread_growth = 3;      // Thread-count growth over the window below which nothing is flagged.
  double fds_per_min = 1;            // Sustained fd-count growth rate.
  double min_fd_growth = 4;          // Fd-count growth over the window below which nothing is flagged.
  double cpu_bound_share = 0.8;      // Mean CPU use (cores) at or above which the process is CPU-bound.
  double idle_share = 0.02;          // Mean CPU use (cores) at or below which it is idle.
  double warmup_s = -1;              // Samples before this are not fitted; < 0 means 20% of the span, at most 30 s.
  std::size_t min_samples = 8;       // Fewer fitted samples than this give no verdict.
  double min_window_s = 1.0;         // A fitted window shorter than this gives no verdict.
  double confidence = 0.95;          // Of the slope's confidence interval.
};

// How busy the process was.
enum class Activity { CpuBound, Busy, Idle };

// The report spelling: "cpu-bound", "busy", "idle".
std::string to_string(Activity activity);

// One metric's series, fit and verdict; slopes are per second.
struct MetricVerdict {
  std::string metric;       // "rss", "threads", "fds".
  std::string unit;         // "bytes" or "count".
  std::vector<core::SamplePoint> samples;  // x = seconds since the start, all samples (warm-up included).
  double slope_per_s = 0;
  double intercept = 0;
  double ci_low = 0;
  double ci_high = 0;
  double threshold_per_s = 0;  // The effective slope threshold for this window.
  double window_s = 0;         // The span of the fitted samples.
  double first = 0;            // First and last fitted values.
  double last = 0;
  bool growing = false;
};

// The whole diagnosis.
struct Diagnosis {
  bool conclusive = false;
  std::string inconclusive_reason;
  std::vector<MetricVerdict> metrics;  // rss, threads, fds.
  double cpu_cores = 0;                // Mean CPU use over the fitted window, in cores (1.0 = one core busy).
  Activity activity = Activity::Busy;
  double warmup_s = 0;                 // The warm-up actually skipped.
  double confidence = 0.95;            // Of the slopes' confidence intervals.

  // True when conclusive and nothing grows.
  bool healthy() const;
};

// Diagnoses `samples` (in time order) with `ticks_per_second` CPU clock ticks (sysconf(_SC_CLK_TCK)).
Diagnosis diagnose(const std::vector<ProcSample>& samples, const Thresholds& thresholds, double ticks_per_second);

// The diagnosis as human lines: the headline first ("healthy", "memory growing (leak suspected)", ...),
// then one line per metric with its numbers.
std::vector<std::string> describe(const Diagnosis& diagnosis);

}  // namespace plumb::doctor

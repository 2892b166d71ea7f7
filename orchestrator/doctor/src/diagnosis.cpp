#include "plumb/doctor/diagnosis.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "plumb/stats/growth.hpp"
#include "plumb/core/metric.hpp"
#include "plumb/core/units.hpp"

namespace plumb::doctor {

std::string to_string(Activity activity) {
  switch (activity) {
    case Activity::CpuBound: return "cpu-bound";
    case Activity::Idle: return "idle";
    case Activity::Busy: break;
  }
  return "busy";
}

bool Diagnosis::healthy() const {
  return conclusive && std::none_of(metrics.begin(), metrics.end(), [](const MetricVerdict& m) { return m.growing; });
}

namespace {

// Theil-Sen needs O(n^2) memory; a long observation is thinned to this many evenly spaced points.
constexpr std::size_t kMaxFitted = 600;

// What the doctor reads of a /proc sample for one metric (its name and unit from the metric table).
struct MetricSpec {
  core::Metric metric;
  double (*value)(const ProcSample&);
  double rate_per_s;
  double min_growth;
};

MetricVerdict judge(const MetricSpec& spec, const std::vector<ProcSample>& samples, std::size_t first_fitted,
                    const Thresholds& thresholds) {
  MetricVerdict verdict;
  verdict.metric = core::name_of(spec.metric);
  verdict.unit = core::spec_of(spec.metric).unit;
  for (const auto& sample : samples) {
    verdict.samples.push_back({sample.seconds, spec.value(sample)});
  }
  const std::size_t fitted = samples.size() - first_fitted;
  const std::size_t stride = std::max<std::size_t>(1, (fitted + kMaxFitted - 1) / kMaxFitted);
  std::vector<double> x, y;
  for (std::size_t i = first_fitted; i < samples.size(); i += stride) {
    x.push_back(samples[i].seconds);
    y.push_back(spec.value(samples[i]));
  }
  verdict.window_s = samples.back().seconds - samples[first_fitted].seconds;
  verdict.first = spec.value(samples[first_fitted]);
  verdict.last = spec.value(samples.back());
  verdict.threshold_per_s = stats::growth_threshold(spec.rate_per_s, spec.min_growth, verdict.window_s);
  const auto judgement = stats::judge_growth(x, y, verdict.threshold_per_s, thresholds.confidence);
  if (const auto& fit = judgement.fit) {
    verdict.slope_per_s = fit->slope;
    verdict.intercept = fit->intercept;
    verdict.ci_low = fit->ci_low;
    verdict.ci_high = fit->ci_high;
    verdict.growing = judgement.grows;
  }
  return verdict;
}


std::string amount(const MetricVerdict& m, double value) {
  return m.unit == "bytes" ? core::format_bytes(value) : fmt::format("{:.0f}", value);
}

std::string rate(const MetricVerdict& m, double per_s) {
  return m.unit == "bytes" ? fmt::format("{:.1f} KiB/s", per_s / 1024.0) : fmt::format("{:.2f}/min", per_s * 60.0);
}

}  // namespace

Diagnosis diagnose(const std::vector<ProcSample>& samples, const Thresholds& thresholds, double ticks_per_second) {
  Diagnosis diagnosis;
  diagnosis.confidence = thresholds.confidence;
  if (samples.empty()) {
    diagnosis.inconclusive_reason = "no samples: the process could not be observed";
    return diagnosis;
  }
  const double span = samples.back().seconds - samples.front().seconds;
  diagnosis.warmup_s = thresholds.warmup_s >= 0 ? thresholds.warmup_s : std::min(0.2 * span, 30.0);
  std::size_t first_fitted = 0;
  while (first_fitted < samples.size() && samples[first_fitted].seconds - samples.front().seconds < diagnosis.warmup_s) {
    ++first_fitted;
  }
  const std::size_t fitted = samples.size() - first_fitted;
  const double window = fitted > 0 ? samples.back().seconds - samples[first_fitted].seconds : 0.0;
  if (fitted < thresholds.min_samples || window < thresholds.min_window_s) {
    diagnosis.inconclusive_reason =
        fmt::format("too little to judge: {} samples over {:.2f} s after a {:.2f} s warm-up (need {} samples over {:.2f} s)",
                    fitted, window, diagnosis.warmup_s, thresholds.min_samples, thresholds.min_window_s);
    first_fitted = 0;
  } else {
    diagnosis.conclusive = true;
  }
  const MetricSpec specs[] = {
      {core::Metric::Rss, [](const ProcSample& s) { return static_cast<double>(s.rss_bytes); },
       thresholds.rss_kb_per_s * 1024.0, thresholds.min_rss_growth_kb * 1024.0},
      {core::Metric::Threads, [](const ProcSample& s) { return static_cast<double>(s.threads); },
       thresholds.threads_per_min / 60.0, thresholds.min_thread_growth},
      {core::Metric::Fds, [](const ProcSample& s) { return static_cast<double>(s.fds); },
       thresholds.fds_per_min / 60.0, thresholds.min_fd_growth},
  };
  for (const auto& spec : specs) {
    auto verdict = judge(spec, samples, first_fitted, thresholds);
    if (!diagnosis.conclusive) {
      verdict.growing = false;
    }
    diagnosis.metrics.push_back(std::move(verdict));
  }
  const auto& from = samples[first_fitted];
  const auto& to = samples.back();
  const double elapsed = to.seconds - from.seconds;
  diagnosis.cpu_cores = elapsed > 0 && ticks_per_second > 0
                            ? static_cast<double>(to.cpu_ticks - std::min(to.cpu_ticks, from.cpu_ticks)) /
                                  ticks_per_second / elapsed
                            : 0.0;
  diagnosis.activity = diagnosis.cpu_cores >= thresholds.cpu_bound_share ? Activity::CpuBound
                       : diagnosis.cpu_cores <= thresholds.idle_share    ? Activity::Idle
                                                                         : Activity::Busy;
  return diagnosis;
}

std::vector<std::string> describe(const Diagnosis& diagnosis) {
  std::vector<std::string> lines;
  if (!diagnosis.conclusive) {
    lines.push_back("inconclusive: " + diagnosis.inconclusive_reason);
  } else {
    std::vector<std::string> problems;
    for (const auto& m : diagnosis.metrics) {
      if (!m.growing) continue;
      switch (core::metric_named(m.metric).value_or(core::Metric::Rss)) {
        case core::Metric::Threads: problems.emplace_back("threads growing"); break;
        case core::Metric::Fds: problems.emplace_back("fds growing"); break;
        case core::Metric::Rss:
        case core::Metric::Heap:
        case core::Metric::MassifHeap:
        case core::Metric::MassifHeapExtra:
        case core::Metric::MassifStacks:
        case core::Metric::CacheBytes: problems.emplace_back("memory growing (leak suspected)"); break;
      }
    }
    std::string headline;
    for (const auto& problem : problems) {
      headline += (headline.empty() ? "" : ", ") + problem;
    }
    if (headline.empty()) headline = "healthy";
    lines.push_back(fmt::format("{}; {} ({:.0f}% of one core)", headline, to_string(diagnosis.activity),
                                100.0 * diagnosis.cpu_cores));
  }
  for (const auto& m : diagnosis.metrics) {
    lines.push_back(fmt::format("  {:<8} {:>10} -> {:>10} over {:.1f} s; slope {} ({:.0f}% CI {} .. {}), threshold {}: {}",
                                m.metric, amount(m, m.first), amount(m, m.last), m.window_s, rate(m, m.slope_per_s), 100.0 * diagnosis.confidence,
                                rate(m, m.ci_low), rate(m, m.ci_high), rate(m, m.threshold_per_s),
                                m.growing ? "GROWING" : "steady"));
  }
  lines.push_back(fmt::format("  cpu      {:.2f} cores on average after a {:.1f} s warm-up", diagnosis.cpu_cores,
                              diagnosis.warmup_s));
  return lines;
}

}  // namespace plumb::doctor

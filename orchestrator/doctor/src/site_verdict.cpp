#include "plumb/doctor/site_verdict.hpp"

#include <algorithm>

#include "plumb/stats/growth.hpp"

namespace plumb::doctor {

std::string_view to_string(SiteTrend trend) {
  switch (trend) {
    case SiteTrend::Growing: return "growing";
    case SiteTrend::Plateau: return "plateau";
    case SiteTrend::Churn: return "churn";
    case SiteTrend::Steady: break;
  }
  return "steady";
}

namespace {

// Where a trend sorts: growing, plateau, churn, steady.
int rank(SiteTrend trend) {
  switch (trend) {
    case SiteTrend::Growing: return 0;
    case SiteTrend::Plateau: return 1;
    case SiteTrend::Churn: return 2;
    case SiteTrend::Steady: break;
  }
  return 3;
}

}  // namespace

std::vector<SiteVerdict> judge_sites(const SiteHistory& history, double warmup_s, const SiteThresholds& thresholds,
                                     double rss_slope_per_s) {
  const auto& times = history.times();
  std::vector<SiteVerdict> verdicts;
  if (times.empty()) return verdicts;
  // The fitted samples: after the warm-up, unless that would leave too few.
  std::size_t first = 0;
  while (first < times.size() && times[first] < times.front() + warmup_s) ++first;
  if (times.size() - first < thresholds.min_samples) first = 0;
  const std::size_t fitted = times.size() - first;
  const double window_s = times.back() - times[first];
  const double recorded_s = std::max(times.back() - times.front(), 1e-3);
  const double threshold = stats::growth_threshold(thresholds.bytes_per_s, thresholds.min_growth_bytes, window_s);
  stats::TheilSenWorkspace workspace;
  for (const auto& site : history.sites()) {
    SiteVerdict verdict;
    verdict.key = site.key;
    verdict.stack = site.stack;
    verdict.at = site.at;
    verdict.live_end = site.live_bytes;
    verdict.allocations_per_s = static_cast<double>(site.allocations) / recorded_s;
    verdict.window_s = window_s;
    verdict.threshold_per_s = threshold;
    const auto begin = site.live.begin() + static_cast<std::ptrdiff_t>(first);
    const auto [low, high] = std::minmax_element(begin, site.live.end());
    const bool rose = fitted >= thresholds.min_samples && *high - *low >= thresholds.min_growth_bytes;
    if (rose) {
      const std::span<const double> x(times.data() + first, fitted);
      const std::span<const double> y(site.live.data() + first, fitted);
      const auto whole = stats::judge_growth(x, y, threshold, thresholds.confidence, workspace);
      if (const auto& fit = whole.fit) {
        verdict.slope_per_s = fit->slope;
        verdict.intercept = fit->intercept;
        verdict.ci_low = fit->ci_low;
        verdict.ci_high = fit->ci_high;
      }
      const std::size_t half = fitted / 2;
      // Still rising at the end: the second half grows too (at half the slope, for its half window).
      const auto late = stats::judge_growth(x.subspan(half), y.subspan(half), threshold / 2, thresholds.confidence,
                                            workspace);
      if (late.fit) {
        verdict.late_slope_per_s = late.fit->slope;
        verdict.late_ci_low = late.fit->ci_low;
      }
      verdict.trend = whole.grows && late.grows ? SiteTrend::Growing : SiteTrend::Plateau;
    } else if (verdict.allocations_per_s >= thresholds.churn_allocations_per_s && 2 * site.frees >= site.allocations) {
      verdict.trend = SiteTrend::Churn;
    } else if (static_cast<double>(site.live_bytes) >= thresholds.min_growth_bytes) {
      verdict.trend = SiteTrend::Plateau;  // Holds much, but did not rise while judged: it filled earlier.
    } else {
      continue;
    }
    if (rss_slope_per_s > 0 && verdict.trend == SiteTrend::Growing) {
      verdict.rss_share = verdict.slope_per_s / rss_slope_per_s;
    }
    for (std::size_t i = 0; i < times.size(); ++i) {
      verdict.samples.push_back({times[i], site.live[i]});
    }
    verdicts.push_back(std::move(verdict));
  }
  std::stable_sort(verdicts.begin(), verdicts.end(), [](const SiteVerdict& a, const SiteVerdict& b) {
    if (rank(a.trend) != rank(b.trend)) return rank(a.trend) < rank(b.trend);
    switch (a.trend) {
      case SiteTrend::Growing: return a.slope_per_s > b.slope_per_s;
      case SiteTrend::Plateau: return a.live_end > b.live_end;
      case SiteTrend::Churn:
      case SiteTrend::Steady: break;
    }
    return a.allocations_per_s > b.allocations_per_s;
  });
  return verdicts;
}

}  // namespace plumb::doctor

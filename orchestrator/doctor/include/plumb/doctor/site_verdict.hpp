// Which allocation sites of a recorded process grow: each site's live bytes fitted with the same
// robust slope and confidence interval as the process's RSS, and told apart from a site that fills
// once and stops (a cache warming) and from one that allocates and frees (churn).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plumb/core/model.hpp"
#include "plumb/doctor/site_history.hpp"

namespace plumb::doctor {

// What a site's live bytes did over the watch.
enum class SiteTrend {
  Growing,  // Rising through the window, still rising at its end: a leak suspect.
  Plateau,  // Rose, then stopped rising before the end (a cache filling to its cap), or holds much and is flat.
  Churn,    // Allocated and freed (at least half of it) at a rate, its live bytes flat.
  Steady,   // Neither: few allocations, flat.
};

// The report spelling: "growing", "plateau", "churn", "steady".
std::string_view to_string(SiteTrend trend);

// When a site's slope counts as growth (the RSS rule of diagnosis.hpp, per site).
struct SiteThresholds {
  double bytes_per_s = 1024;                // A slope below this is never growth, however long the watch.
  double min_growth_bytes = 64 * 1024;      // Growth over the fitted window below which nothing is flagged.
  double churn_allocations_per_s = 10;      // Allocations per second from which a flat site is churn.
  double confidence = 0.95;                 // Of the slopes' confidence intervals.
  std::size_t min_samples = 8;              // Fewer fitted samples than this give no verdict.
};

// One site's verdict and the numbers behind it; slopes in bytes per second.
struct SiteVerdict {
  std::string key;                   // Its identity ("remember@grow.c").
  std::vector<core::Frame> stack;    // Innermost first, as recorded (allocator frames included).
  core::Frame at;                    // The frame the site is at.
  SiteTrend trend = SiteTrend::Steady;
  double slope_per_s = 0;            // Over the fitted window.
  double intercept = 0;
  double ci_low = 0;
  double ci_high = 0;
  double late_slope_per_s = 0;       // Over the fitted window's second half.
  double late_ci_low = 0;
  double threshold_per_s = 0;        // The slope the site had to pass.
  double window_s = 0;               // The fitted span.
  std::int64_t live_end = 0;         // Live bytes when recording stopped.
  double allocations_per_s = 0;      // Over the whole recording.
  std::optional<double> rss_share;   // slope / the RSS slope, when the RSS grew.
  std::vector<core::SamplePoint> samples;  // x = seconds since recording began, y = live bytes.
};

// Every site that rose or churned, growing ones first (largest slope first), then plateaus (most
// live bytes first), then churn (most allocations first); steady sites are left out.
std::vector<SiteVerdict> judge_sites(const SiteHistory& history, double warmup_s, const SiteThresholds& thresholds,
                                     double rss_slope_per_s);

}  // namespace plumb::doctor

#include "plumb/analyze/growth.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "plumb/core/metric.hpp"

namespace plumb::analyze {

core::Finding growth_finding(const core::GrowthSeries& series, core::Reporter tool) {
  core::Finding finding;
  finding.kind = core::growth_kind(series.metric);
  finding.detail = series.metric;
  finding.metric = series.metric;
  finding.tools.push_back(tool);
  if (!series.variant.empty()) {
    finding.variants.push_back(series.variant);
  }
  finding.message = fmt::format("{} grows by {:.4g} {} per {} (threshold {:.4g}, 95% CI {:.4g} .. {:.4g}, {} samples)",
                                series.metric, series.slope_per_iteration, series.unit,
                                core::to_string(series.axis), series.threshold, series.ci_low, series.ci_high,
                                series.samples.size());
  auto sites = series.sites;
  std::stable_sort(sites.begin(), sites.end(), [](const auto& a, const auto& b) {
    return a.slope_per_iteration > b.slope_per_iteration;
  });
  for (const auto& site : sites) {
    finding.frames.push_back(core::Frame{site.function, site.file, site.line, ""});
  }
  return finding;
}

}  // namespace plumb::analyze

#include "plumb/harness/growth_verdict.hpp"

#include <plumb/stats/theil_sen.hpp>

namespace plumb::harness {

SeriesVerdict judge_series(const std::string& metric, const std::string& unit, const BoundedSeries& series,
                           double threshold, stats::TheilSenWorkspace& workspace) {
  SeriesVerdict verdict;
  verdict.metric = metric;
  verdict.unit = unit;
  verdict.threshold = threshold;
  verdict.samples = series.values().size();
  if (verdict.samples < 3) return verdict;
  const auto fit = stats::theil_sen(series.iterations(), series.values(), 0.95, workspace);
  if (!fit) return verdict;
  verdict.slope = fit->slope;
  verdict.intercept = fit->intercept;
  verdict.ci_low = fit->ci_low;
  verdict.ci_high = fit->ci_high;
  verdict.fail = fit->slope > threshold && fit->ci_low > 0;
  return verdict;
}

}  // namespace plumb::harness

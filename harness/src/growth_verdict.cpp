#include "plumb/harness/growth_verdict.hpp"

#include <plumb/stats/growth.hpp>

namespace plumb::harness {

SeriesVerdict judge_series(const std::string& metric, const std::string& unit, const BoundedSeries& series,
                           double threshold, stats::TheilSenWorkspace& workspace) {
  SeriesVerdict verdict;
  verdict.metric = metric;
  verdict.unit = unit;
  verdict.threshold = threshold;
  verdict.samples = series.values().size();
  if (verdict.samples < 3) return verdict;
  const auto judgement = stats::judge_growth(series.iterations(), series.values(), threshold, 0.95, workspace);
  const auto& fit = judgement.fit;
  if (!fit) return verdict;
  verdict.slope = fit->slope;
  verdict.intercept = fit->intercept;
  verdict.ci_low = fit->ci_low;
  verdict.ci_high = fit->ci_high;
  verdict.fail = judgement.grows;
  return verdict;
}

}  // namespace plumb::harness

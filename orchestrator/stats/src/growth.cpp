#include "plumb/stats/growth.hpp"

#include <algorithm>

namespace plumb::stats {

GrowthJudgement judge_growth(std::span<const double> x, std::span<const double> y, double threshold,
                             double confidence, TheilSenWorkspace& workspace) {
  GrowthJudgement judgement;
  judgement.fit = theil_sen(x, y, confidence, workspace);
  judgement.grows = judgement.fit && judgement.fit->ci_low > 0 && judgement.fit->slope > threshold;
  return judgement;
}

GrowthJudgement judge_growth(std::span<const double> x, std::span<const double> y, double threshold,
                             double confidence) {
  TheilSenWorkspace workspace;
  return judge_growth(x, y, threshold, confidence, workspace);
}

double growth_threshold(double rate, double min_growth, double window) {
  return std::max(rate, min_growth / std::max(window, 1e-9));
}

}  // namespace plumb::stats

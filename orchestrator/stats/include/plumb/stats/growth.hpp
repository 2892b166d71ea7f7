// The one rule that says a series grows, used by the harness, the samples parser and the doctor
// (its /proc metrics and its allocation sites).
#pragma once

#include <optional>
#include <span>

#include "plumb/stats/theil_sen.hpp"

namespace plumb::stats {

// A series' fit and whether it grows.
struct GrowthJudgement {
  std::optional<SlopeFit> fit;  // nullopt when the points cannot be fitted (fewer than two distinct x).
  bool grows = false;           // The whole confidence interval above zero and the slope above the threshold.
};

// Fits `y` against `x` (Theil-Sen with Sen's interval at `confidence`) and judges it: a series grows
// when its slope's confidence interval lies wholly above zero and the slope exceeds `threshold`.
GrowthJudgement judge_growth(std::span<const double> x, std::span<const double> y, double threshold,
                             double confidence, TheilSenWorkspace& workspace);

// The same with a workspace of its own.
GrowthJudgement judge_growth(std::span<const double> x, std::span<const double> y, double threshold,
                             double confidence = 0.95);

// The slope a series watched over `window` must exceed: the larger of a rate that is growth however
// long the watch (`rate`) and the growth that counts over the window (`min_growth` / `window`), so a
// short watch needs a steep slope and a long one catches a slow leak.
double growth_threshold(double rate, double min_growth, double window);

}  // namespace plumb::stats

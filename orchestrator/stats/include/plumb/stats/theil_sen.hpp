#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace plumb::stats {

// A robust straight-line fit y = intercept + slope * x with a confidence interval for the slope.
struct SlopeFit {
  double slope = 0;         // Median of all pairwise slopes (Theil-Sen estimator).
  double intercept = 0;     // Median of y_i - slope * x_i (Conover's intercept).
  double ci_low = 0;        // Lower end of Sen's confidence interval for the slope.
  double ci_high = 0;       // Upper end of Sen's confidence interval for the slope.
  std::size_t samples = 0;  // Points used (n).
  std::size_t pairs = 0;    // Pairs with distinct x that produced a slope (N').
};

// Theil-Sen fit of `y` against `x` with Sen's (1968) distribution-free confidence interval
// at `confidence` (two-sided, e.g. 0.95): with the N' pairwise slopes sorted and
// C = z_{(1+confidence)/2} * sqrt(Var(S)), where Var(S) is the variance of Kendall's S with the
// tie corrections for ties in x and in y, the bounds are the slopes at ranks (N' - C)/2 and
// (N' + C)/2 + 1 (interpolated, clamped to the extreme slopes). Costs O(n^2 log n) time and
// O(n^2) memory, so callers keep n bounded (thousands, not millions). Returns nullopt when the
// spans differ in length, hold a non-finite value, or no two points have distinct x; throws
// std::invalid_argument unless 0 < confidence < 1.
std::optional<SlopeFit> theil_sen(std::span<const double> x, std::span<const double> y,
                                  double confidence = 0.95);

// Scratch memory for theil_sen; reusing one across fits keeps repeated fits from allocating
// (reserve n*(n-1)/2 doubles in `slopes` and n in `scratch` up front).
struct TheilSenWorkspace {
  std::vector<double> slopes;
  std::vector<double> scratch;
};

// The same fit, using (and growing when needed) `workspace` instead of fresh allocations.
std::optional<SlopeFit> theil_sen(std::span<const double> x, std::span<const double> y, double confidence,
                                  TheilSenWorkspace& workspace);

// The variance of Kendall's S for n points with the given tie-group sizes in x and in y
// (groups of size 1 may be omitted): Kendall's (1970) formula, exact for any ties.
double kendall_s_variance(std::size_t n, std::span<const std::size_t> x_ties,
                          std::span<const std::size_t> y_ties);

}  // namespace plumb::stats

#include "plumb/stats/theil_sen.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "plumb/stats/median.hpp"
#include "plumb/stats/normal_quantile.hpp"

namespace plumb::stats {

namespace {

// Sum over groups of t(t-1)(2t+5), t(t-1) and t(t-1)(t-2): the three tie terms of Var(S).
struct TieSums {
  double v = 0;
  double pairs = 0;
  double triples = 0;

  void add_group(std::size_t group) {
    const auto t = static_cast<double>(group);
    v += t * (t - 1) * (2 * t + 5);
    pairs += t * (t - 1);
    triples += t * (t - 1) * (t - 2);
  }
};

TieSums tie_sums(std::span<const std::size_t> groups) {
  TieSums sums;
  for (const std::size_t group : groups) sums.add_group(group);
  return sums;
}

// Tie sums of `values`, sorting a copy in `scratch`.
TieSums tie_sums_of(std::span<const double> values, std::vector<double>& scratch) {
  scratch.assign(values.begin(), values.end());
  std::sort(scratch.begin(), scratch.end());
  TieSums sums;
  for (std::size_t begin = 0; begin < scratch.size();) {
    std::size_t end = begin + 1;
    while (end < scratch.size() && scratch[end] == scratch[begin]) ++end;
    if (end - begin > 1) sums.add_group(end - begin);
    begin = end;
  }
  return sums;
}

double variance_from_sums(std::size_t n, const TieSums& x, const TieSums& y) {
  if (n < 2) return 0;
  const auto count = static_cast<double>(n);
  double variance = (count * (count - 1) * (2 * count + 5) - x.v - y.v) / 18;
  variance += x.pairs * y.pairs / (2 * count * (count - 1));
  if (n > 2) variance += x.triples * y.triples / (9 * count * (count - 1) * (count - 2));
  return std::max(variance, 0.0);
}

}  // namespace

double kendall_s_variance(std::size_t n, std::span<const std::size_t> x_ties,
                          std::span<const std::size_t> y_ties) {
  return variance_from_sums(n, tie_sums(x_ties), tie_sums(y_ties));
}

std::optional<SlopeFit> theil_sen(std::span<const double> x, std::span<const double> y, double confidence) {
  TheilSenWorkspace workspace;
  return theil_sen(x, y, confidence, workspace);
}

std::optional<SlopeFit> theil_sen(std::span<const double> x, std::span<const double> y, double confidence,
                                  TheilSenWorkspace& workspace) {
  if (x.size() != y.size() || x.size() < 2) return std::nullopt;
  const auto finite = [](double value) { return std::isfinite(value); };
  if (!std::all_of(x.begin(), x.end(), finite) || !std::all_of(y.begin(), y.end(), finite))
    return std::nullopt;

  const std::size_t n = x.size();
  std::vector<double>& slopes = workspace.slopes;
  slopes.clear();
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      if (x[i] == x[j]) continue;
      slopes.push_back((y[j] - y[i]) / (x[j] - x[i]));
    }
  }
  if (slopes.empty()) return std::nullopt;
  std::sort(slopes.begin(), slopes.end());

  SlopeFit fit;
  fit.samples = n;
  fit.pairs = slopes.size();
  // The slopes are sorted: the median is the value at rank (N + 1) / 2 (no copy, no allocation).
  fit.slope = *value_at_rank(slopes, (static_cast<double>(slopes.size()) + 1) / 2);

  std::vector<double>& residuals = workspace.scratch;
  residuals.resize(n);
  for (std::size_t i = 0; i < n; ++i) residuals[i] = y[i] - fit.slope * x[i];
  fit.intercept = *median_in_place(residuals);

  const TieSums x_ties = tie_sums_of(x, workspace.scratch);
  const TieSums y_ties = tie_sums_of(y, workspace.scratch);
  const double z = normal_quantile((1 + confidence) / 2);
  const double c = z * std::sqrt(variance_from_sums(n, x_ties, y_ties));
  const auto pairs = static_cast<double>(slopes.size());
  fit.ci_low = *value_at_rank(slopes, (pairs - c) / 2);
  fit.ci_high = *value_at_rank(slopes, (pairs + c) / 2 + 1);
  // With heavy ties the interval can miss the estimate by a rank; keep it a bracket.
  fit.ci_low = std::min(fit.ci_low, fit.slope);
  fit.ci_high = std::max(fit.ci_high, fit.slope);
  return fit;
}

}  // namespace plumb::stats

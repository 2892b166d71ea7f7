#include "plumb/stats/median.hpp"

#include <algorithm>
#include <cmath>

namespace plumb::stats {

std::optional<double> median(std::span<const double> values) {
  std::vector<double> copy(values.begin(), values.end());
  return median_in_place(copy);
}

std::optional<double> median_in_place(std::span<double> values) {
  if (values.empty()) return std::nullopt;
  const std::size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
  const double upper = values[mid];
  if (values.size() % 2 == 1) return upper;
  // The lower middle is the largest element left of the nth_element pivot.
  const double lower = *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid));
  return lower + (upper - lower) / 2;
}

std::optional<double> value_at_rank(std::span<const double> sorted, double rank) {
  if (sorted.empty()) return std::nullopt;
  const double last = static_cast<double>(sorted.size());
  if (!(rank > 1)) return sorted.front();  // Also catches NaN.
  if (rank >= last) return sorted.back();
  const double whole = std::floor(rank);
  const double fraction = rank - whole;
  const auto index = static_cast<std::size_t>(whole) - 1;
  return sorted[index] + fraction * (sorted[index + 1] - sorted[index]);
}

}  // namespace plumb::stats

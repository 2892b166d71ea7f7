#pragma once

#include <optional>
#include <span>
#include <vector>

namespace plumb::stats {

// The median of `values` (the mean of the two middle values for an even count); nullopt when empty.
std::optional<double> median(std::span<const double> values);

// The median of `values`, reordering them in place instead of copying; nullopt when empty.
std::optional<double> median_in_place(std::span<double> values);

// The value at 1-based fractional rank `rank` of ascending-sorted `sorted`, interpolating
// linearly between neighbours and clamping to the first/last element; nullopt when empty.
std::optional<double> value_at_rank(std::span<const double> sorted, double rank);

}  // namespace plumb::stats

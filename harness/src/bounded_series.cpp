#include "plumb/harness/bounded_series.hpp"

#include <algorithm>

namespace plumb::harness {

BoundedSeries::BoundedSeries(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 2)) {
  // Touch the storage now, so filling it later does not show up as RSS growth.
  x_.resize(capacity_);
  y_.resize(capacity_);
  x_.clear();
  y_.clear();
}

void BoundedSeries::add(double iteration, double value) {
  const std::uint64_t index = offered_++;
  if (index % stride_ != 0) return;
  if (x_.size() == capacity_) {
    // Keep the points at even positions (offered indices that are multiples of 2*stride).
    std::size_t kept = 0;
    for (std::size_t i = 0; i < x_.size(); i += 2, ++kept) {
      x_[kept] = x_[i];
      y_[kept] = y_[i];
    }
    x_.resize(kept);
    y_.resize(kept);
    stride_ *= 2;
    if (index % stride_ != 0) return;
  }
  x_.push_back(iteration);
  y_.push_back(value);
}

}  // namespace plumb::harness

#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace plumb::harness {

// A metric's (iteration, value) points with bounded memory: once `capacity` points are held,
// every other point is dropped and only every 2nd, 4th, ... later sample is accepted, so the
// kept points stay evenly spaced over the whole run and memory never grows with iterations.
class BoundedSeries {
 public:
  // A series that keeps at most `capacity` (>= 2) points; storage is reserved up front.
  explicit BoundedSeries(std::size_t capacity);

  // Offers the next sample; it is kept or skipped depending on the current stride.
  void add(double iteration, double value);

  // The kept iterations (x), in order.
  const std::vector<double>& iterations() const { return x_; }
  // The kept values (y), in order.
  const std::vector<double>& values() const { return y_; }
  // Samples offered since construction.
  std::uint64_t offered() const { return offered_; }
  // Every stride-th offered sample is kept.
  std::uint64_t stride() const { return stride_; }

 private:
  std::size_t capacity_;
  std::uint64_t stride_ = 1;
  std::uint64_t offered_ = 0;
  std::vector<double> x_;
  std::vector<double> y_;
};

}  // namespace plumb::harness

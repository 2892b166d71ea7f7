#include "plumb/harness/options.hpp"

#include <algorithm>

namespace plumb::harness {

std::string_view to_string(Mode mode) {
  switch (mode) {
    case Mode::Batch:
      return "batch";
    case Mode::Stream:
      return "stream";
    case Mode::Pool:
      return "pool";
    case Mode::Cached:
      return "cached";
  }
  return "batch";
}

std::uint64_t Options::effective_sample_every() const {
  if (sample_every > 0) return sample_every;
  return std::max<std::uint64_t>(1, iterations / 200);
}

std::uint64_t Options::effective_warmup() const {
  return warmup.value_or(iterations / 10);
}

}  // namespace plumb::harness

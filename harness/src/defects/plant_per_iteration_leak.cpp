// leak-per-iter=BYTES: BYTES allocated, written (so the pages count in RSS) and lost every iteration.
#include <cstdlib>
#include <cstring>
#include <new>

#include "opaque.hpp"
#include "plumb/harness/defects.hpp"

namespace plumb::harness {

__attribute__((noinline)) void plant_per_iteration_leak(std::size_t bytes) {
  void* scratch = std::malloc(bytes);
  if (scratch == nullptr) throw std::bad_alloc();
  std::memset(scratch, 0xa5, bytes);
  detail::launder_and_drop(scratch);
}

}  // namespace plumb::harness

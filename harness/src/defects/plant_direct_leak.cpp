// leak-direct: one allocation whose only pointer is dropped (memcheck Leak_DefinitelyLost, LSan Direct leak).
#include <cstdlib>
#include <cstring>
#include <new>

#include "opaque.hpp"
#include "plumb/harness/defects.hpp"

namespace plumb::harness {

__attribute__((noinline)) void plant_direct_leak() {
  constexpr std::size_t kBytes = 96;
  void* request_copy = std::malloc(kBytes);
  if (request_copy == nullptr) throw std::bad_alloc();
  std::memset(request_copy, 0x5a, kBytes);
  detail::launder_and_drop(request_copy);
}

}  // namespace plumb::harness

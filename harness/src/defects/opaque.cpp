#include "opaque.hpp"

namespace plumb::harness::detail {

namespace {
void* volatile g_slot = nullptr;
}  // namespace

__attribute__((noinline)) void launder_and_drop(void* pointer) {
  g_slot = pointer;
  g_slot = nullptr;
}

}  // namespace plumb::harness::detail

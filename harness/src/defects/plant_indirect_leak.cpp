// leak-indirect: a lost struct that owns two buffers. The struct is definitely lost; the buffers,
// reachable only through it, are indirectly lost (memcheck Leak_IndirectlyLost, LSan Indirect leak).
#include <cstdlib>
#include <cstring>
#include <new>

#include "opaque.hpp"
#include "plumb/harness/defects.hpp"

namespace plumb::harness {

namespace {

// A scan session that owns its buffers and is supposed to be closed by its caller.
struct LeakedScanSession {
  unsigned char* decode_buffer;
  unsigned char* result_buffer;
};

__attribute__((noinline)) unsigned char* allocate_session_buffer(std::size_t bytes) {
  auto* buffer = static_cast<unsigned char*>(std::malloc(bytes));
  if (buffer == nullptr) throw std::bad_alloc();
  std::memset(buffer, 0x3c, bytes);
  return buffer;
}

}  // namespace

__attribute__((noinline)) void plant_indirect_leak() {
  auto* session = static_cast<LeakedScanSession*>(std::malloc(sizeof(LeakedScanSession)));
  if (session == nullptr) throw std::bad_alloc();
  session->decode_buffer = allocate_session_buffer(256);
  session->result_buffer = allocate_session_buffer(128);
  detail::launder_and_drop(session);
}

}  // namespace plumb::harness

#include "plumb/harness/heap_probe.hpp"

#include <malloc.h>

#include <valgrind/memcheck.h>
#include <valgrind/valgrind.h>
#include <cstddef>

#include "sanitizer_detect.hpp"

#if SCAN_LEAK_ASAN || SCAN_LEAK_TSAN
#if __has_include(<sanitizer/allocator_interface.h>)
#include <sanitizer/allocator_interface.h>
#else
// GCC 12 ships the runtime but not this header (clang does); the signature is the runtime's.
extern "C" std::size_t __sanitizer_get_current_allocated_bytes();
#endif
#endif

namespace plumb::harness {

std::optional<std::uint64_t> allocator_live_bytes(Runtime runtime) {
  switch (runtime) {
    case Runtime::AddressSanitizer:
    case Runtime::ThreadSanitizer:
#if SCAN_LEAK_ASAN || SCAN_LEAK_TSAN
      return __sanitizer_get_current_allocated_bytes();
#else
      return std::nullopt;
#endif
    case Runtime::Native: {
      // mallinfo2 sums every arena: uordblks = in-use chunks from sbrk/arena heaps, hblkhd = mmapped chunks.
      const struct mallinfo2 info = mallinfo2();
      return static_cast<std::uint64_t>(info.uordblks) + static_cast<std::uint64_t>(info.hblkhd);
    }
    case Runtime::Memcheck:
    case Runtime::Massif:
    case Runtime::OtherValgrind:
      return std::nullopt;  // Valgrind's own allocator serves malloc; glibc's counters stay near zero.
  }
  return std::nullopt;
}

std::string_view heap_source_name(Runtime runtime, bool snapshots_enabled) {
  switch (runtime) {
    case Runtime::Native:
      return "mallinfo2";
    case Runtime::AddressSanitizer:
    case Runtime::ThreadSanitizer:
      return "sanitizer";
    case Runtime::Memcheck:
      return snapshots_enabled ? "memcheck" : "unavailable";
    case Runtime::Massif:
      return snapshots_enabled ? "massif" : "unavailable";
    case Runtime::OtherValgrind:
      return "unavailable";
  }
  return "unavailable";
}

std::optional<std::uint64_t> live_heap_bytes_now() {
  const Runtime runtime = detect_runtime(ValgrindTool::Auto);
  if (runtime != Runtime::Memcheck) return allocator_live_bytes(runtime);
  VALGRIND_DO_QUICK_LEAK_CHECK;
  unsigned long leaked = 0;
  unsigned long dubious = 0;
  unsigned long reachable = 0;
  unsigned long suppressed = 0;
  VALGRIND_COUNT_LEAKS(leaked, dubious, reachable, suppressed);
  return static_cast<std::uint64_t>(leaked) + dubious + reachable + suppressed;
}

}  // namespace plumb::harness

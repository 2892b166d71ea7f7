// Dies by a signal from a named function, so a tool that reports stacks shows crash_by_*.
// Usage: fault_crash segv|abort
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

int* volatile g_null = nullptr;

[[gnu::noinline]] void crash_by_segv() {
  *g_null = 42;
}

[[gnu::noinline]] void crash_by_abort() {
  std::abort();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fault_crash segv|abort\n");
    return 2;
  }
  std::fprintf(stderr, "fault_crash: about to die by %s\n", argv[1]);
  if (std::strcmp(argv[1], "segv") == 0) {
    crash_by_segv();
  } else if (std::strcmp(argv[1], "abort") == 0) {
    crash_by_abort();
  }
  return 2;
}

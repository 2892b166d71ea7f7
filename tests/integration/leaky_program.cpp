// A small program with one definite leak, in a function the report must name in its top frame.
#include <cstdio>
#include <cstdlib>
#include <cstring>

// Keeps the compiler from proving the allocation unused.
void* volatile g_sink = nullptr;

__attribute__((noinline)) void plumb_it_leak_block() {
  void* block = std::malloc(48);
  std::memset(block, 1, 48);
  g_sink = block;
  g_sink = nullptr;  // The only pointer is dropped: definitely lost.
}

int main() {
  plumb_it_leak_block();
  std::puts("leaked 48 bytes");
  return 0;
}

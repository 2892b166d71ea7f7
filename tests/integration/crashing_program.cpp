// A program that dies of SIGSEGV, as a crashing program under test would.
#include <csignal>
#include <cstdio>

__attribute__((noinline)) void plumb_it_crash() {
  std::fflush(stdout);
  std::raise(SIGSEGV);
}

int main() {
  std::puts("about to crash");
  plumb_it_crash();
  return 0;
}

// A program with planted defects, run by the suppression export tests under the real tools to
// prove the exported native files really suppress them: two leaks (valgrind in the plain build,
// LSan in the ASan build), `ub` a signed overflow (UBSan, ASan build), `race` a data race (TSan).
// real_frames.hpp holds the stacks the real tools printed for the leaking functions.
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <thread>

namespace plumbdemo {

__attribute__((noinline)) char* leaky_function(int n) {
  char* p = static_cast<char*>(std::malloc(static_cast<std::size_t>(n)));
  std::memset(p, 1, static_cast<std::size_t>(n));
  return p;
}

__attribute__((noinline)) char* make_widget(int n) {
  return new char[static_cast<std::size_t>(n)];
}

__attribute__((noinline)) int hash_mix(int a) {
  return a + INT_MAX;
}

int shared_counter = 0;

__attribute__((noinline)) void racy_worker() {
  shared_counter = shared_counter + 1;
}

}  // namespace plumbdemo

__attribute__((noinline)) void caller() {
  volatile char* a = plumbdemo::leaky_function(24);
  volatile char* b = plumbdemo::make_widget(40);
  (void)a;
  (void)b;
}

int main(int argc, char** argv) {
  const std::string_view mode = argc > 1 ? argv[1] : "leak";
  if (mode == "ub") {
    std::printf("%d\n", plumbdemo::hash_mix(argc - 1));
  } else if (mode == "race") {
    std::thread first(plumbdemo::racy_worker);
    std::thread second(plumbdemo::racy_worker);
    first.join();
    second.join();
  } else {
    // Leak on a thread that then ends: LSan scans live threads' stacks and registers
    // conservatively, and a stale copy of a pointer in main's (clang -O0 kept one) would make
    // its block look reachable.
    std::thread leaker(caller);
    leaker.join();
  }
  return 0;
}

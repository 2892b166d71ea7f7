// Leaks argv[1] KiB (default 64) every 10 ms, touching every page so that RSS grows.
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  const std::size_t kib = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 64;
  std::vector<void*> leaked;  // Kept reachable: a growing cache is a leak to an operator too.
  for (;;) {
    void* block = std::malloc(kib * 1024);
    std::memset(block, 0x5a, kib * 1024);
    leaked.push_back(block);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

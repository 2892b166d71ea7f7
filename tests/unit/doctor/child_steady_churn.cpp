// A busy process that allocates and frees at a steady rate: the doctor must call it healthy.
#include <cstdlib>
#include <cstring>
#include <vector>

int main() {
  std::vector<char*> live(256, nullptr);
  unsigned state = 12345;
  for (unsigned long round = 0;; ++round) {
    state = state * 1103515245u + 12345u;
    const std::size_t slot = (state >> 8) % live.size();
    const std::size_t size = 1024 + (state >> 4) % (64 * 1024);  // Below the mmap threshold.
    std::free(live[slot]);
    live[slot] = static_cast<char*>(std::malloc(size));
    std::memset(live[slot], static_cast<int>(round), size);
  }
}

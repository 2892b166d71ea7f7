// A statically linked program that allocates and sleeps: no dynamic loader, so nothing can be
// injected into it (the doctor must say so and still diagnose it through /proc).
#include <cstdlib>
#include <cstring>

#include <unistd.h>

int main() {
  for (;;) {
    char* block = static_cast<char*>(std::malloc(128));
    std::memset(block, 1, 128);
    std::free(block);
    usleep(10000);
  }
}

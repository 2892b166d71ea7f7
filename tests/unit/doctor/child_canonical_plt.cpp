// A program built without -fPIE that takes malloc's and free's addresses, as Debian 12's python3
// and node do: its own PLT entries stand for them (canonical PLT entries), which heaptrack's inject
// library turns into endless recursion. It allocates and sleeps; the doctor must refuse to attach
// and leave it running.
#include <cstdlib>
#include <cstring>

#include <unistd.h>

namespace {

using Allocate = void* (*)(std::size_t);
using Release = void (*)(void*);

// Through pointers taken at run time: the address of malloc and free is what makes the entries.
volatile Allocate allocate = nullptr;
volatile Release release = nullptr;

}  // namespace

int main() {
  allocate = &std::malloc;
  release = &std::free;
  for (;;) {
    char* block = static_cast<char*>(allocate(128));
    std::memset(block, 1, 128);
    release(block);
    usleep(10000);
  }
}

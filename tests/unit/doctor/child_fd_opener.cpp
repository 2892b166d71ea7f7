// Opens /dev/null every 50 ms and never closes it.
#include <chrono>
#include <thread>

#include <fcntl.h>

int main() {
  for (;;) {
    if (open("/dev/null", O_RDONLY | O_CLOEXEC) < 0) {
      return 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

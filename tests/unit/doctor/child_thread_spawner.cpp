// Starts a thread every 100 ms that never ends.
#include <chrono>
#include <thread>

int main() {
  for (;;) {
    std::thread([] {
      for (;;) {
        std::this_thread::sleep_for(std::chrono::hours(1));
      }
    }).detach();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

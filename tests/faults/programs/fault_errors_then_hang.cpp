// Makes memcheck write error records (invalid reads), then records its pid in PIDFILE and sleeps,
// so a test can SIGKILL valgrind mid-run and check the findings written before the cut survive.
// Usage: fault_errors_then_hang PIDFILE
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

namespace {

[[gnu::noinline]] int read_past_end(const char* block, int size) {
  return block[size];  // one byte past the end: memcheck's Invalid read
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fault_errors_then_hang PIDFILE\n");
    return 2;
  }
  int sum = 0;
  for (int i = 0; i < 3; ++i) {
    char* block = static_cast<char*>(std::malloc(16));
    sum += read_past_end(block, 16 + i);
    std::free(block);
  }
  const std::string path = argv[1];
  std::ofstream(path + ".part") << getpid() << " " << (sum & 1) << "\n";
  std::rename((path + ".part").c_str(), path.c_str());
  for (;;) {
    pause();
  }
}

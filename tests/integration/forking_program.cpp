// Forks a child that leaks 100 bytes and returns (so memcheck checks it at its exit), then runs
// a shell through system() (a child that execs a program valgrind does not follow).
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

static void* volatile kept;

__attribute__((noinline)) void leak_in_child() {
  kept = std::malloc(100);
  std::memset(kept, 1, 100);
  kept = nullptr;
}

int main() {
  const pid_t child = fork();
  if (child == 0) {
    leak_in_child();
    return 0;
  }
  int status = 0;
  waitpid(child, &status, 0);
  return std::system("true") == 0 && WIFEXITED(status) ? 0 : 1;
}

// Hangs with a grandchild: forks a child that ignores SIGTERM, records both pids in DIR/child.pid and
// DIR/grandchild.pid (the grandchild's first, so child.pid means both exist), then both sleep.
// Usage: fault_hang DIR [--exit]   (--exit: the parent exits at once, leaving the grandchild behind)
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

namespace {

void write_pid(const std::string& path, pid_t pid) {
  const std::string tmp = path + ".part";
  std::ofstream(tmp) << pid << "\n";
  std::rename(tmp.c_str(), path.c_str());
}

[[noreturn]] void sleep_forever() {
  for (;;) {
    pause();
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: fault_hang DIR [--exit]\n");
    return 2;
  }
  const std::string dir = argv[1];
  const bool parent_exits = argc > 2 && std::strcmp(argv[2], "--exit") == 0;
  const pid_t grandchild = fork();
  if (grandchild < 0) {
    std::perror("fork");
    return 1;
  }
  if (grandchild == 0) {
    signal(SIGTERM, SIG_IGN);  // only SIGKILL to the whole group ends it
    write_pid(dir + "/grandchild.pid", getpid());
    sleep_forever();
  }
  while (access((dir + "/grandchild.pid").c_str(), F_OK) != 0) {
    usleep(1000);
  }
  write_pid(dir + "/child.pid", getpid());
  if (parent_exits) {
    return 0;
  }
  sleep_forever();
}

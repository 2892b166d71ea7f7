// A clean program that starts a thread, then forks a child that execs /bin/true: under gcc's TSan
// the child's log holds only "ThreadSanitizer: forked new process with pid N, parent had 1 threads".
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

int main() {
  std::thread worker([] {});
  worker.join();
  const pid_t child = fork();
  if (child == 0) {
    execl("/bin/true", "true", static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

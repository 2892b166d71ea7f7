#include "plumb/run/group_guard.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string_view>

#include "plumb/core/errors.hpp"
#include "plumb/core/text_file.hpp"

namespace plumb::run {
namespace {

constexpr int kMaxGroups = 4096;

// The guard's whole life; only async-signal-safe calls, no allocation (it is a fork of plumb).
[[noreturn]] void guard_main(int read_fd) {
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  for (const int signal : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE}) {
    ::sigaction(signal, &ignore, nullptr);
  }
  ::setpgid(0, 0);
  ::prctl(PR_SET_NAME, "plumb-guard");  // what ps and top show for it
  // Hold nothing of plumb's but the pipe (a copy of another pipe's write end would keep it open).
#ifdef SYS_close_range
  if (read_fd != 3) {
    ::dup2(read_fd, 3);
    read_fd = 3;
  }
  if (::syscall(SYS_close_range, 4U, ~0U, 0U) != 0)
#endif
  {
    for (int fd = 0; fd < 4096; ++fd) {
      if (fd != read_fd && fd > 2) {
        ::close(fd);
      }
    }
  }
  static int groups[kMaxGroups];
  int count = 0;
  std::int32_t message = 0;
  while (true) {
    const ssize_t got = ::read(read_fd, &message, sizeof message);
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got != static_cast<ssize_t>(sizeof message)) {
      break;  // plumb is gone (EOF) or the pipe broke
    }
    if (message > 0 && count < kMaxGroups) {
      groups[count++] = message;
    } else if (message < 0) {
      for (int i = 0; i < count; ++i) {
        if (groups[i] == -message) {
          groups[i] = groups[--count];
          break;
        }
      }
    }
  }
  for (int i = 0; i < count; ++i) {
    ::kill(-groups[i], SIGKILL);
  }
  ::_exit(0);
}

void send(int fd, std::int32_t message) {
  if (fd < 0) {
    return;
  }
  while (::write(fd, &message, sizeof message) < 0 && errno == EINTR) {
  }
}

// The whole of a /proc file ("" when it cannot be read).
std::string read_proc(const std::filesystem::path& path) {
  return core::read_text_file(path).value_or("");
}

// Whether the NUL-separated environment `variables` holds exactly `entry`.
bool has_variable(const std::string& variables, std::string_view entry) {
  for (std::size_t at = 0; at < variables.size();) {
    const std::size_t end = variables.find('\0', at);
    const std::size_t stop = end == std::string::npos ? variables.size() : end;
    if (variables.compare(at, stop - at, entry) == 0) {
      return true;
    }
    at = stop + 1;
  }
  return false;
}

// The run token in the NUL-separated environment `variables`, or "" without one.
std::string token_in(const std::string& variables) {
  const std::string prefix = std::string(kRunTokenVariable) + "=";
  for (std::size_t at = 0; at < variables.size();) {
    const std::size_t end = variables.find('\0', at);
    const std::size_t stop = end == std::string::npos ? variables.size() : end;
    if (variables.compare(at, prefix.size(), prefix) == 0) {
      return variables.substr(at + prefix.size(), stop - at - prefix.size());
    }
    at = stop + 1;
  }
  return "";
}

// State, parent and process group of a /proc/<pid>/stat text; false when it cannot be read.
bool parse_stat(const std::string& stat, char& state, int& ppid, int& group) {
  const std::size_t paren = stat.rfind(')');
  return paren != std::string::npos && paren + 2 < stat.size() &&
         std::sscanf(stat.c_str() + paren + 2, "%c %d %d", &state, &ppid, &group) == 3;
}

// The children of plumb (of each of its threads: an orphan is reparented to one of them), from
// /proc/self/task/*/children; nullopt when the kernel does not provide those files.
std::optional<std::vector<int>> own_children() {
  std::vector<int> children;
  std::error_code error;
  bool any = false;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task", error)) {
    const std::filesystem::path path = task.path() / "children";
    if (::access(path.c_str(), R_OK) != 0) {
      return std::nullopt;
    }
    any = true;
    const std::string text = read_proc(path);
    for (const char* at = text.c_str(); *at != '\0';) {
      char* end = nullptr;
      const long pid = std::strtol(at, &end, 10);
      if (end == at) {
        break;
      }
      children.push_back(static_cast<int>(pid));
      at = end;
    }
  }
  if (!any) {
    return std::nullopt;
  }
  return children;
}

// The command line of /proc/<pid>, arguments joined by spaces.
std::string command_of(const std::filesystem::path& proc) {
  std::string command = read_proc(proc / "cmdline");
  while (!command.empty() && command.back() == '\0') {
    command.pop_back();
  }
  for (char& c : command) {
    if (c == '\0') {
      c = ' ';
    }
  }
  if (command.empty()) {
    std::string name = read_proc(proc / "comm");
    while (!name.empty() && name.back() == '\n') {
      name.pop_back();
    }
    command = "[" + name + "]";
  }
  return command;
}

// The pids listed in /proc.
std::vector<int> all_pids() {
  std::vector<int> pids;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
    const std::string name = entry.path().filename().string();
    if (!name.empty() && name.find_first_not_of("0123456789") == std::string::npos) {
      pids.push_back(std::stoi(name));
    }
  }
  return pids;
}

}  // namespace

GroupGuard::GroupGuard() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    throw core::InfrastructureError(std::string("cannot create the child guard's pipe: ") +
                                    std::strerror(errno));
  }
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw core::InfrastructureError(std::string("cannot start the child guard: ") + std::strerror(errno));
  }
  if (pid == 0) {
    ::close(fds[1]);
    guard_main(fds[0]);
  }
  ::close(fds[0]);
  write_fd_ = fds[1];
  pid_ = pid;
  // A guard that died would make writes raise SIGPIPE; plumb keeps running without it.
  ::signal(SIGPIPE, SIG_IGN);
}

GroupGuard::~GroupGuard() {
  if (write_fd_ >= 0) {
    ::close(write_fd_);
  }
}

void GroupGuard::hold(int pgid) {
  send(write_fd_, pgid);
}

void GroupGuard::release(int pgid) {
  send(write_fd_, -pgid);
}

std::vector<Straggler> kill_stragglers(const std::string& token, int pgid) {
  std::vector<Straggler> found;
  const std::string needle = std::string(kRunTokenVariable) + "=" + token;
  for (const int pid : all_pids()) {
    const std::filesystem::path proc = "/proc/" + std::to_string(pid);
    if (!has_variable(read_proc(proc / "environ"), needle)) {
      continue;
    }
    char state = 0;
    int ppid = 0;
    int group = 0;
    if (!parse_stat(read_proc(proc / "stat"), state, ppid, group) || state == 'Z') {
      continue;  // a zombie holds nothing; its parent reaps it
    }
    if (pgid != 0 && group == pgid) {
      continue;  // killed with its group a moment ago, still on its way out
    }
    const std::string command = command_of(proc);
    ::kill(pid, SIGKILL);
    found.push_back(Straggler{pid, command});
  }
  return found;
}

bool become_subreaper() {
  return ::prctl(PR_SET_CHILD_SUBREAPER, 1) == 0;
}

std::vector<Straggler> kill_orphans(const std::set<int>& known, const std::set<std::string>& others_tokens,
                                    int dying_group) {
  std::vector<Straggler> found;
  const int self = ::getpid();
  std::optional<std::vector<int>> children = own_children();
  if (!children) {
    children = all_pids();  // no children files: every process, its parent read from its stat
  }
  for (const int pid : *children) {
    if (known.count(pid) != 0) {
      continue;
    }
    const std::filesystem::path proc = "/proc/" + std::to_string(pid);
    char state = 0;
    int ppid = 0;
    int group = 0;
    if (!parse_stat(read_proc(proc / "stat"), state, ppid, group) || ppid != self) {
      continue;
    }
    if (state == 'Z') {
      ::waitpid(pid, nullptr, WNOHANG);  // it ended on its own; plumb, its parent now, reaps it
      continue;
    }
    if (dying_group != 0 && group == dying_group) {
      continue;  // a member of the group just killed, on its way out; reaped once a zombie
    }
    if (others_tokens.count(token_in(read_proc(proc / "environ"))) != 0) {
      continue;  // it belongs to a run still going, which finds it when it ends
    }
    const std::string command = command_of(proc);
    ::kill(pid, SIGKILL);
    for (int attempt = 0; attempt < 200 && ::waitpid(pid, nullptr, WNOHANG) == 0; ++attempt) {
      ::usleep(10000);
    }
    found.push_back(Straggler{pid, command});
  }
  return found;
}

}  // namespace plumb::run

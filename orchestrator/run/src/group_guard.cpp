#include "plumb/run/group_guard.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "plumb/core/errors.hpp"

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
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    std::ifstream environ(entry.path() / "environ", std::ios::binary);
    const std::string variables((std::istreambuf_iterator<char>(environ)), std::istreambuf_iterator<char>());
    bool ours = false;
    for (std::size_t at = 0; at < variables.size();) {
      const std::size_t end = variables.find('\0', at);
      const std::size_t stop = end == std::string::npos ? variables.size() : end;
      if (variables.compare(at, stop - at, needle) == 0) {
        ours = true;
        break;
      }
      at = stop + 1;
    }
    if (!ours) {
      continue;
    }
    std::ifstream stat_file(entry.path() / "stat");
    std::string stat((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
    const std::size_t paren = stat.rfind(')');
    if (paren == std::string::npos || paren + 2 >= stat.size() || stat[paren + 2] == 'Z') {
      continue;  // a zombie holds nothing; its parent reaps it
    }
    // After ")": state, ppid, pgrp.
    int ppid = 0;
    int group = 0;
    if (std::sscanf(stat.c_str() + paren + 2, "%*c %d %d", &ppid, &group) == 2 && pgid != 0 &&
        group == pgid) {
      continue;  // killed with its group a moment ago, still on its way out
    }
    std::ifstream cmdline_file(entry.path() / "cmdline", std::ios::binary);
    std::string command((std::istreambuf_iterator<char>(cmdline_file)), std::istreambuf_iterator<char>());
    while (!command.empty() && command.back() == '\0') {
      command.pop_back();
    }
    for (char& c : command) {
      if (c == '\0') {
        c = ' ';
      }
    }
    const int pid = std::stoi(name);
    ::kill(pid, SIGKILL);
    found.push_back(Straggler{pid, command});
  }
  return found;
}

}  // namespace plumb::run

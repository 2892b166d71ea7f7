#include "plumb/run/system_runner.hpp"

// Track children by pid with waitpid rather than pidfd_open: it works on kernels before 5.3 and
// under valgrind 3.19 (which does not know the syscall); SIGCHLD wakes plumb when one ends
// (ChildEndedSignal below).
#define BOOST_PROCESS_V2_DISABLE_PIDFD_OPEN 1

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <map>
#include <set>
#include <thread>

#include <boost/asio/io_context.hpp>
// Boost 1.81's process/v2 config names boost::optional without including it under BOOST_PROCESS_USE_STD_FS.
#include <boost/optional.hpp>
#include <boost/process/v2/process.hpp>
#include <boost/process/v2/start_dir.hpp>
#include <boost/process/v2/stdio.hpp>

#include "plumb/core/errors.hpp"
#include "plumb/core/output_dir.hpp"
#include "plumb/run/group_guard.hpp"
#include "plumb/run/runtime_check.hpp"

extern char** environ;

namespace plumb::run {
namespace {

namespace bp = boost::process::v2;

// An open file descriptor closed on scope exit.
class OwnedFd {
 public:
  explicit OwnedFd(int fd) : fd_(fd) {}
  OwnedFd(const OwnedFd&) = delete;
  OwnedFd& operator=(const OwnedFd&) = delete;
  ~OwnedFd() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

OwnedFd open_output(const std::filesystem::path& path, const std::filesystem::path& root) {
  if (path.empty()) {
    return OwnedFd(::open("/dev/null", O_WRONLY | O_CLOEXEC));
  }
  // Never through a link: a log path inside the report folder is plumb's own file.
  const int fd = root.empty() ? core::open_for_writing(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)
                              : core::open_beneath(root, path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) {
    throw core::InfrastructureError(path.string() + ": cannot open the log file: " + std::strerror(errno));
  }
  return OwnedFd(fd);
}

// The environment block: plumb's own with `overrides` replacing or adding entries.
std::vector<std::string> merged_environment(const std::map<std::string, std::string>& overrides) {
  std::vector<std::string> entries;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const std::string key(text.substr(0, text.find('=')));
    if (overrides.count(key) == 0) {
      entries.emplace_back(text);
    }
  }
  for (const auto& [key, value] : overrides) {
    entries.push_back(key + "=" + value);
  }
  return entries;
}

// Initializer: hands the launcher our environment, makes the child lead a new group and die
// with plumb (the parent-death signal; the guard kills the rest of the group), and closes every
// descriptor but stdin, stdout and stderr at exec.
struct ChildSetup {
  const char* const* envp;
  bool new_group;
  pid_t parent;

  template <typename Launcher>
  bp::error_code on_setup(Launcher& launcher, const bp::filesystem::path&, const char* const*) const {
    launcher.env = envp;
    return {};
  }

  template <typename Launcher>
  bp::error_code on_exec_setup(Launcher&, const bp::filesystem::path&, const char* const*) const {
    if (new_group && ::setpgid(0, 0) != 0) {
      return bp::error_code(errno, bp::system_category());
    }
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || ::getppid() != parent) {
      return bp::error_code(ESRCH, bp::system_category());  // plumb died before the signal was set
    }
    // The program gets its three standard descriptors and none of plumb's or plumb's caller's,
    // wherever plumb is started (memcheck --track-fds lists whatever it inherits).
    if (::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
      for (int fd = 3; fd < 65536; ++fd) {
        ::fcntl(fd, F_SETFD, FD_CLOEXEC);
      }
    }
    return {};
  }
};

std::filesystem::path resolve_program(const std::string& program,
                                      const std::map<std::string, std::string>& env) {
  if (program.find('/') != std::string::npos) {
    if (::access(program.c_str(), F_OK) != 0) {
      throw core::InfrastructureError(program + ": no such program (looked for this path)");
    }
    return program;
  }
  const auto path_entry = env.find("PATH");
  auto found = find_on_path(program, path_entry != env.end() ? path_entry->second.c_str() : std::getenv("PATH"));
  if (found.empty()) {
    throw core::InfrastructureError(program + ": program not found on PATH");
  }
  return found;
}

// The write end of the pipe SIGCHLD wakes plumb through; -1 until the handler is installed.
volatile std::sig_atomic_t g_child_ended_fd = -1;

void note_child_ended(int) {
  const int saved = errno;
  [[maybe_unused]] const ssize_t written = ::write(g_child_ended_fd, "c", 1);  // full pipe: a wake is pending anyway
  errno = saved;
}

// A self-pipe SIGCHLD writes to, so plumb sleeps until a child ends instead of waking to look.
// Installed once per process, for every SystemRunner: SA_RESTART keeps other system calls as they
// were, a program plumb starts gets the default disposition back at exec, and both ends are
// closed at exec.
class ChildEndedSignal {
 public:
  static ChildEndedSignal& instance() {
    static ChildEndedSignal signal;
    return signal;
  }

  // Up to `limit`, or until a child has ended since the last wait.
  void wait(std::chrono::milliseconds limit) const {
    if (read_fd_ < 0) {
      std::this_thread::sleep_for(limit);
      return;
    }
    pollfd ready{read_fd_, POLLIN, 0};
    if (::poll(&ready, 1, static_cast<int>(limit.count())) > 0) {
      char drained[64];
      while (::read(read_fd_, drained, sizeof drained) > 0) {
      }
    }
  }

 private:
  ChildEndedSignal() {
    int ends[2];
    if (::pipe2(ends, O_CLOEXEC | O_NONBLOCK) != 0) {
      return;  // waits fall back to sleeping their limit
    }
    read_fd_ = ends[0];
    g_child_ended_fd = ends[1];
    struct sigaction action {};
    action.sa_handler = note_child_ended;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    if (::sigaction(SIGCHLD, &action, nullptr) != 0) {
      ::close(ends[0]);
      ::close(ends[1]);
      read_fd_ = -1;
      g_child_ended_fd = -1;
    }
  }

  int read_fd_ = -1;
};

// The children plumb started and has not reaped yet, with their run tokens: any other child of
// plumb (a subreaper) is an orphan some run left behind.
struct LiveChildren {
  std::map<int, std::string> tokens;  // pid -> run token

  std::set<int> pids_but(int pid) const {
    std::set<int> pids;
    for (const auto& [child, token] : tokens) {
      if (child != pid) {
        pids.insert(child);
      }
    }
    return pids;
  }

  std::set<std::string> tokens_but(int pid) const {
    std::set<std::string> others;
    for (const auto& [child, token] : tokens) {
      if (child != pid) {
        others.insert(token);
      }
    }
    return others;
  }
};

class SystemHandle : public ProcessHandle {
 public:
  SystemHandle(std::unique_ptr<boost::asio::io_context> context, bp::process process, bool group,
               std::shared_ptr<GroupGuard> guard, std::string token, std::shared_ptr<LiveChildren> live)
      : context_(std::move(context)),
        process_(std::move(process)),
        pid_(process_.id()),
        group_(group),
        guard_(std::move(guard)),
        token_(std::move(token)),
        live_(std::move(live)) {
    live_->tokens[pid_] = token_;
    if (group_) {
      guard_->hold(pid_);
    }
  }

  ~SystemHandle() override {
    if (!exit_) {
      signal_group(SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
      if (group_) {
        guard_->release(pid_);
      }
    }
    live_->tokens.erase(pid_);
    process_.detach();
  }

  // Found two ways: by the run token in the environment, and (plumb being a subreaper) as a child
  // of plumb it did not start, which is what the kernel says whatever the environment.
  std::vector<std::string> kill_stragglers() override {
    std::vector<Straggler> found;
    const int group = group_ ? pid_ : 0;
    std::set<int> known = live_->pids_but(pid_);
    known.insert(guard_->pid());
    const std::set<std::string> others = live_->tokens_but(pid_);
    const auto append = [&found](std::vector<Straggler> more) {
      found.insert(found.end(), more.begin(), more.end());
    };
    // Until the killed group is gone (its members' children reach plumb only as they die).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    append(kill_orphans(known, others, group));
    while (group != 0 && ::kill(-group, 0) == 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      append(kill_orphans(known, others, group));
    }
    append(run::kill_stragglers(token_, group));
    append(kill_orphans(known, others, group));
    std::vector<std::string> lines;
    for (const Straggler& straggler : found) {
      lines.push_back("pid " + std::to_string(straggler.pid) + " (" + straggler.command + ")");
    }
    return lines;
  }

  int pid() const override { return pid_; }

  std::optional<ProcessExit> poll() override {
    if (exit_) {
      return exit_;
    }
    siginfo_t info{};
    if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) != 0) {
      exit_ = ProcessExit{std::nullopt, 0};  // Reaped elsewhere; its status is lost.
      live_->tokens.erase(pid_);
      return exit_;
    }
    if (info.si_pid == 0) {
      return std::nullopt;
    }
    // The leader is a zombie, so its group id cannot be taken by anyone else yet: whatever it left
    // running in the group goes now, before the reap frees the id.
    if (group_) {
      ::killpg(pid_, SIGKILL);
      guard_->release(pid_);
    }
    int status = 0;
    ::waitpid(pid_, &status, 0);
    live_->tokens.erase(pid_);
    exit_ = WIFSIGNALED(status) ? ProcessExit{std::nullopt, WTERMSIG(status)}
                                : ProcessExit{WEXITSTATUS(status), 0};
    return exit_;
  }

  void signal_group(int signal) override {
    if (exit_) {
      return;  // reaped: its group was killed then, and the id may belong to someone else now
    }
    if (group_) {
      ::killpg(pid_, signal);
    } else {
      ::kill(pid_, signal);
    }
  }

 private:
  std::unique_ptr<boost::asio::io_context> context_;
  bp::process process_;
  int pid_;
  bool group_;
  std::shared_ptr<GroupGuard> guard_;
  std::string token_;
  std::shared_ptr<LiveChildren> live_;
  std::optional<ProcessExit> exit_;
};

class SystemRunner : public ProcessRunner {
 public:
  SystemRunner() : guard_(std::make_shared<GroupGuard>()), live_(std::make_shared<LiveChildren>()) {
    // Every process a run orphans comes to plumb, where kill_stragglers finds it (group_guard.hpp).
    become_subreaper();
    (void)ChildEndedSignal::instance();
  }

  // Woken by SIGCHLD: an ended run is seen at once, not at the next look.
  void wait_for_change(std::chrono::milliseconds limit) override { ChildEndedSignal::instance().wait(limit); }

  std::unique_ptr<ProcessHandle> start(const ProcessSpec& spec) override {
    if (spec.argv.empty()) {
      throw core::InfrastructureError("cannot start an empty command");
    }
    const std::filesystem::path program = resolve_program(spec.argv.front(), spec.env);
    if (!spec.target.empty() && spec.target != spec.argv.front()) {
      (void)resolve_program(spec.target, spec.env);  // the program under the tool: say when it is missing
    }
    if (spec.checked_programs.empty()) {
      require_runtime(program, spec.required_symbol, spec.tool);
    } else {
      require_runtime(spec.checked_programs, spec.required_symbol, spec.tool);
    }
    const std::vector<std::string> args(spec.argv.begin() + 1, spec.argv.end());
    // Every process of this run carries the token, so one that escapes its group is still found.
    const std::string token = std::to_string(::getpid()) + "." + std::to_string(++started_);
    std::map<std::string, std::string> env = spec.env;
    env[kRunTokenVariable] = token;
    const std::vector<std::string> environment = merged_environment(env);
    std::vector<const char*> envp;
    for (const std::string& entry : environment) {
      envp.push_back(entry.c_str());
    }
    envp.push_back(nullptr);
    // stdin is /dev/null opened here with O_CLOEXEC: given nullptr, Boost.Process opens its own
    // without it, and every program inherited that second descriptor (fd 7 in memcheck's fd list).
    const OwnedFd in(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    OwnedFd out = spec.stdout_fd >= 0 ? OwnedFd(::fcntl(spec.stdout_fd, F_DUPFD_CLOEXEC, 0))
                                      : open_output(spec.stdout_path, spec.log_root);
    if (out.get() < 0) {
      throw core::InfrastructureError(program.string() + ": cannot hand it the output descriptor: " +
                                      std::strerror(errno));
    }
    OwnedFd err = open_output(spec.stderr_path, spec.log_root);
    auto context = std::make_unique<boost::asio::io_context>();
    const std::filesystem::path cwd = spec.cwd.empty() ? std::filesystem::current_path() : spec.cwd;
    try {
      bp::process process(*context, program, args, bp::process_stdio{in.get(), out.get(), err.get()},
                          bp::process_start_dir(cwd),
                          ChildSetup{envp.data(), spec.new_process_group, ::getpid()});
      return std::make_unique<SystemHandle>(std::move(context), std::move(process), spec.new_process_group,
                                            guard_, token, live_);
    } catch (const bp::system_error& error) {
      throw core::InfrastructureError(program.string() + ": cannot start: " + error.code().message());
    }
  }

 private:
  std::shared_ptr<GroupGuard> guard_;
  std::shared_ptr<LiveChildren> live_;
  unsigned long started_ = 0;
};

}  // namespace

std::unique_ptr<ProcessRunner> make_system_runner() {
  return std::make_unique<SystemRunner>();
}

}  // namespace plumb::run

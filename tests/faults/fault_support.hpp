// Helpers of the fault-injection tests: run the real `plumb` executable as a child process (output
// to files, a wall-clock guard, peak RSS via wait4), temporary folders, /proc liveness checks.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif

namespace plumb::faults {

// Why these tests cannot run in this build, or empty when they can: they time real processes and
// spawn tools, which makes no sense nested under memcheck or inside a sanitizer build of plumb.
inline std::string nesting_reason() {
#if defined(PLUMB_SANITIZER_ADDRESS) || defined(PLUMB_SANITIZER_THREAD)
  return "plumb is a sanitizer build here; fault timings and tool nesting are meaningless";
#else
#ifdef RUNNING_ON_VALGRIND
  if (RUNNING_ON_VALGRIND) {
    return "running under valgrind; fault tests spawn tools and time real processes";
  }
#endif
  return "";
#endif
}

// Skips the current test when nesting_reason() says so.
#define PLUMB_SKIP_WHEN_NESTED()                  \
  do {                                            \
    const std::string reason_ = nesting_reason(); \
    if (!reason_.empty()) {                       \
      GTEST_SKIP() << reason_;                    \
    }                                             \
  } while (false)

// The whole content of a file ("" when it cannot be read).
inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A fresh folder under $TMPDIR (or /tmp), removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern =
        std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/plumb-faults-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed");
    }
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// How a finished child ended and what it printed.
struct RunResult {
  int exit_code = -1;      // -1 when killed by a signal.
  int signal = 0;          // The signal that killed it, else 0.
  bool timed_out = false;  // The test's own guard had to kill it.
  std::string out;         // stdout
  std::string err;         // stderr
  long max_rss_kb = 0;     // Peak resident set of the child (wait4's ru_maxrss).
  double seconds = 0;
};

// What to start besides the arguments.
struct RunOptions {
  std::filesystem::path cwd;               // Empty: the test's own.
  std::map<std::string, std::string> env;  // Set on top of the inherited environment.
  std::vector<std::string> unset_env;      // Removed from it.
  std::chrono::seconds guard{120};         // SIGKILL after this long: a hung plumb is a failure.
};

// A started child whose output goes to files in `log_dir`.
class Child {
 public:
  Child(const std::vector<std::string>& argv, const RunOptions& options, const std::filesystem::path& log_dir)
      : out_path_(log_dir / "plumb.stdout"), err_path_(log_dir / "plumb.stderr"), guard_(options.guard) {
    started_ = std::chrono::steady_clock::now();
    pid_ = fork();
    if (pid_ < 0) {
      throw std::runtime_error("fork failed");
    }
    if (pid_ == 0) {
      const int out = open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int err = open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int in = open("/dev/null", O_RDONLY);
      if (out < 0 || err < 0 || in < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0 || dup2(in, 0) < 0) {
        _exit(126);
      }
      if (!options.cwd.empty() && chdir(options.cwd.c_str()) != 0) {
        _exit(126);
      }
      for (const auto& [key, value] : options.env) {
        setenv(key.c_str(), value.c_str(), 1);
      }
      for (const std::string& key : options.unset_env) {
        unsetenv(key.c_str());
      }
      std::vector<char*> args;
      for (const std::string& arg : argv) {
        args.push_back(const_cast<char*>(arg.c_str()));
      }
      args.push_back(nullptr);
      execv(args[0], args.data());
      _exit(127);
    }
  }
  ~Child() {
    if (pid_ > 0 && !reaped_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  // The child's pid.
  pid_t pid() const { return pid_; }

  // Waits for the child to end (killing it after the guard) and collects its result.
  RunResult wait() {
    RunResult result;
    int status = 0;
    rusage usage{};
    while (true) {
      const pid_t done = wait4(pid_, &status, WNOHANG, &usage);
      if (done == pid_) {
        break;
      }
      if (std::chrono::steady_clock::now() - started_ > guard_) {
        result.timed_out = true;
        kill(pid_, SIGKILL);
        wait4(pid_, &status, 0, &usage);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    reaped_ = true;
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    if (WIFEXITED(status)) {
      result.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
      result.signal = WTERMSIG(status);
    }
    result.max_rss_kb = usage.ru_maxrss;
    result.out = read_text(out_path_);
    result.err = read_text(err_path_);
    return result;
  }

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  std::filesystem::path out_path_;
  std::filesystem::path err_path_;
  std::chrono::seconds guard_;
  std::chrono::steady_clock::time_point started_;
};

// Everything a failed assertion should show about a plumb run.
inline std::string describe(const RunResult& run) {
  return "exit " + std::to_string(run.exit_code) + " signal " + std::to_string(run.signal) + " after " +
         std::to_string(run.seconds) + " s\n--- stdout\n" + run.out + "--- stderr\n" + run.err;
}

// Runs plumb (PLUMB_EXE) with `args` and waits for it.
inline RunResult run_plumb(const std::vector<std::string>& args, const std::filesystem::path& log_dir,
                           const RunOptions& options = {}) {
  std::vector<std::string> argv{PLUMB_EXE};
  argv.insert(argv.end(), args.begin(), args.end());
  Child child(argv, options, log_dir);
  return child.wait();
}

// Whether `pid` is a live process (a zombie or a missing /proc entry counts as dead).
inline bool process_alive(pid_t pid) {
  const std::string stat = read_text("/proc/" + std::to_string(pid) + "/stat");
  if (stat.empty()) {
    return false;
  }
  const std::size_t close = stat.rfind(')');
  if (close == std::string::npos || close + 2 >= stat.size()) {
    return false;
  }
  const char state = stat[close + 2];
  return state != 'Z' && state != 'X' && state != 'x';
}

// The pid written in `path` (first number), after waiting up to `timeout` for the file to appear.
inline std::optional<pid_t> wait_for_pid_file(const std::filesystem::path& path,
                                              std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (std::filesystem::exists(path)) {
      std::istringstream in(read_text(path));
      long pid = 0;
      if (in >> pid && pid > 0) {
        return static_cast<pid_t>(pid);
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return std::nullopt;
}

// Waits up to `timeout` for `pid` to be gone; true when it is.
inline bool wait_until_dead(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (process_alive(pid)) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

// report.json of `out_dir`, or a null document when it is missing or unreadable.
inline nlohmann::json read_report(const std::filesystem::path& out_dir) {
  const std::string text = read_text(out_dir / "report.json");
  return text.empty() ? nlohmann::json() : nlohmann::json::parse(text, nullptr, false);
}

// The findings of `report` of one kind.
inline std::vector<nlohmann::json> findings_of_kind(const nlohmann::json& report, const std::string& kind) {
  std::vector<nlohmann::json> found;
  if (report.contains("findings")) {
    for (const nlohmann::json& finding : report["findings"]) {
      if (finding.value("kind", "") == kind) {
        found.push_back(finding);
      }
    }
  }
  return found;
}

// Whether any frame of `finding` names a function containing `name`.
inline bool has_frame(const nlohmann::json& finding, const std::string& name) {
  for (const nlohmann::json& frame : finding.value("frames", nlohmann::json::array())) {
    if (frame.value("function", "").find(name) != std::string::npos) {
      return true;
    }
  }
  return false;
}

// Every file below `dir` whose name contains ".tmp" (a half-written output left behind).
inline std::vector<std::string> temporary_files_below(const std::filesystem::path& dir) {
  std::vector<std::string> found;
  std::error_code ignored;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ignored);
       it != std::filesystem::recursive_directory_iterator(); it.increment(ignored)) {
    if (it->path().filename().string().find(".tmp") != std::string::npos) {
      found.push_back(it->path().string());
    }
  }
  return found;
}

// Whether `name` is an executable on the inherited PATH.
inline bool on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path != nullptr ? path : "");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (!dir.empty() && access((std::filesystem::path(dir) / name).c_str(), X_OK) == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace plumb::faults

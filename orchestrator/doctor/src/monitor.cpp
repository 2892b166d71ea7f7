#include "plumb/doctor/monitor.hpp"

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <thread>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "plumb/core/errors.hpp"
#include "plumb/run/process.hpp"

extern char** environ;

namespace plumb::doctor {

namespace {

// Whether `program` names an executable, directly or through PATH. Checked before spawning because
// posix_spawnp reports a failed exec only on some implementations (not under Valgrind, for one).
bool is_executable(const std::string& program) {
  if (program.find('/') != std::string::npos) {
    return access(program.c_str(), X_OK) == 0;
  }
  return !run::find_on_path(program, std::getenv("PATH")).empty();
}

}  // namespace

Child::Child(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env) {
  if (argv.empty()) {
    throw core::UsageError("no command to run");
  }
  if (!is_executable(argv[0])) {
    throw core::InfrastructureError("cannot start '" + argv[0] + "': no such executable");
  }
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& arg : argv) {
    args.push_back(const_cast<char*>(arg.c_str()));
  }
  args.push_back(nullptr);
  std::vector<std::string> environment;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    if (!env.contains(std::string(text.substr(0, text.find('='))))) environment.emplace_back(text);
  }
  for (const auto& [name, value] : env) environment.push_back(name + "=" + value);
  std::vector<char*> envp;
  for (auto& entry : environment) envp.push_back(entry.data());
  envp.push_back(nullptr);
  const int error = posix_spawnp(&pid_, args[0], nullptr, nullptr, args.data(), envp.data());
  if (error != 0) {
    pid_ = -1;
    throw core::InfrastructureError("cannot start '" + argv[0] + "': " + std::strerror(error));
  }
}

Child::~Child() {
  if (pid_ > 0 && !reaped_) {
    stop(0.5);
  }
}

bool Child::exited() {
  if (reaped_) {
    return true;
  }
  int status = 0;
  const pid_t result = waitpid(pid_, &status, WNOHANG);
  if (result == pid_ || (result < 0 && errno == ECHILD)) {
    reaped_ = true;
    if (result == pid_ && WIFEXITED(status)) {
      exit_code_ = WEXITSTATUS(status);
    }
  }
  return reaped_;
}

void Child::stop(double grace_s) {
  if (exited()) {
    return;
  }
  kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(grace_s);
  while (std::chrono::steady_clock::now() < deadline) {
    if (exited()) {
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid_, SIGKILL);
  int status = 0;
  if (waitpid(pid_, &status, 0) == pid_ && WIFEXITED(status)) {
    exit_code_ = WEXITSTATUS(status);
  }
  reaped_ = true;
}

Observation observe(pid_t pid, const ObserveOptions& options, const std::function<bool()>& has_exited) {
  Observation observation;
  const auto start = std::chrono::steady_clock::now();
  const auto interval = std::chrono::duration<double>(options.interval_s);
  for (long tick = 0;; ++tick) {
    if (options.interval_s * static_cast<double>(tick) > options.duration_s + 1e-9) {
      break;
    }
    std::this_thread::sleep_until(start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(interval * tick));
    const double now = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::optional<ProcSample> sample;
    if (!(has_exited && has_exited())) {
      sample = read_proc_sample(pid, now);
    }
    if (!sample) {
      observation.exited_early = true;
      break;
    }
    observation.samples.push_back(*sample);
  }
  observation.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return observation;
}

}  // namespace plumb::doctor

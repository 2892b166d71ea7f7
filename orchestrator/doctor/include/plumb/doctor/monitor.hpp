// Watching a process over time: spawning the command to watch, and sampling it at an interval.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

#include "plumb/doctor/proc_sample.hpp"

namespace plumb::doctor {

// A child process started for observation; stopped (SIGTERM, then SIGKILL) and reaped on destruction.
class Child {
 public:
  // Starts `argv` (searched in PATH) with this process's environment and `env` set on top of it.
  // Throws core::InfrastructureError when it cannot be started.
  explicit Child(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {});
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  // The child's process id.
  pid_t pid() const { return pid_; }

  // Whether it has exited (reaping it if so), without blocking.
  bool exited();

  // Its exit code once exited normally; nullopt while running or when killed by a signal.
  std::optional<int> exit_code() const { return exit_code_; }

  // Asks it to stop, waits up to `grace_s`, then kills it; reaps it.
  void stop(double grace_s = 1.0);

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  std::optional<int> exit_code_;
};

// How long and how often to look.
struct ObserveOptions {
  double interval_s = 0.5;
  double duration_s = 30;
};

// The samples taken and why sampling ended.
struct Observation {
  std::vector<ProcSample> samples;
  bool exited_early = false;  // The process went away before the duration was up.
  double elapsed_s = 0;
};

// Samples `pid` every interval until the duration is up or it goes away; `has_exited` (may be empty)
// lets the owner of a child reap it so that a zombie ends the observation.
Observation observe(pid_t pid, const ObserveOptions& options, const std::function<bool()>& has_exited = {});

}  // namespace plumb::doctor

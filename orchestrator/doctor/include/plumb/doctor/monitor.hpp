// Watching a process over time: sampling it at an interval (a command to watch is started through
// run::ProcessRunner, like every run of plumb's).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

#include "plumb/doctor/proc_sample.hpp"

namespace plumb::doctor {

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

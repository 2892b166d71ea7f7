// Starting child processes behind an interface, so the scheduler can be tested with a fake.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "plumb/core/tools.hpp"

namespace plumb::run {

// What to start: the command, the environment added to plumb's own, where it runs and logs.
struct ProcessSpec {
  std::vector<std::string> argv;           // argv[0] is a path or a name looked up on PATH.
  std::map<std::string, std::string> env;  // Set (overriding) on top of the inherited environment.
  std::filesystem::path cwd;               // Empty: plumb's working directory.
  std::filesystem::path stdout_path;       // Empty: /dev/null (or stdout_fd).
  int stdout_fd = -1;  // >= 0: the child writes its standard output here (a pipe the caller reads), not to stdout_path.
  std::filesystem::path stderr_path;       // Empty: /dev/null.
  std::filesystem::path
      log_root;  // Non-empty: the logs lie below this folder and no link on the way is followed.
  bool new_process_group = true;  // The child leads its own group, so it can be killed whole.
  std::string required_symbol;    // Non-empty: an ELF program without it is refused.
  std::vector<std::filesystem::path> checked_programs;  // Checked for required_symbol instead of argv[0]
                                                        // (what a wrapper runs); refused when none has it.
  core::Tool tool = core::Tool::Native;  // The tool it runs under, for the refusal's message.
  std::string target;  // The program the tool runs (argv[0] when there is no tool); checked to exist.
};

// How a process ended: an exit code, or the signal that killed it.
struct ProcessExit {
  std::optional<int> exit_code;
  int signal = 0;
};

// A started process.
class ProcessHandle {
 public:
  virtual ~ProcessHandle() = default;

  // The child's pid (and process group id when it leads one).
  virtual int pid() const = 0;

  // The exit, without blocking; nullopt while it runs. Reaps the child once.
  virtual std::optional<ProcessExit> poll() = 0;

  // Sends `signal` to the child's whole process group (the child alone without a group).
  virtual void signal_group(int signal) = 0;

  // After the group is gone: the processes the run started that escaped it (setsid, setpgid) and
  // still live, each killed; one "pid N (command)" line per process.
  virtual std::vector<std::string> kill_stragglers() = 0;
};

// Starts processes.
class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;

  // Starts `spec`; throws core::InfrastructureError when the program cannot be found or started.
  virtual std::unique_ptr<ProcessHandle> start(const ProcessSpec& spec) = 0;

  // Blocks until a process this runner started may have ended, or `limit` has passed, whichever
  // comes first (then poll() says which); this default only sleeps `limit`.
  virtual void wait_for_change(std::chrono::milliseconds limit);
};

// The executable `name` is found as on PATH (`path` is its value; nullptr: /usr/local/bin:/usr/bin:/bin),
// skipping folders; an empty path when none is.
std::filesystem::path find_on_path(const std::string& name, const char* path);

// Waits up to `timeout` for the process to end; nullopt when it still runs.
std::optional<ProcessExit> wait_for(ProcessHandle& process, std::chrono::milliseconds timeout);

// SIGTERM to the group, up to `grace` for it to end, then SIGKILL to the group; returns the exit.
ProcessExit terminate_group(ProcessHandle& process, std::chrono::milliseconds grace);

// Waits for the process to end, asking `stop_requested` (may be empty) as it waits; on a stop it
// terminates the group and returns nullopt. Once the leader has ended its group is killed too.
std::optional<ProcessExit> wait_unless_stopped(ProcessHandle& process,
                                               const std::function<bool()>& stop_requested);

}  // namespace plumb::run

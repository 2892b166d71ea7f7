// Recording a process's allocations with heaptrack for a while, then stopping the recording and
// leaving the process running: heaptrack's library injected through gdb (a running process) or
// preloaded (a started one), writing through a pipe plumb made into heaptrack_interpret and zstd.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <sys/types.h>

#include "plumb/run/process.hpp"

namespace plumb::doctor {

// Where heaptrack's pieces and the programs recording needs are.
struct HeaptrackTools {
  std::filesystem::path inject_library;   // libheaptrack_inject.so, loaded into a running process.
  std::filesystem::path preload_library;  // libheaptrack_preload.so, preloaded into a started one.
  std::filesystem::path interpreter;      // heaptrack_interpret: raw records to the trace format.
  std::filesystem::path env_helper;       // heaptrack_env: the dlopen call that suits this libc.
  std::filesystem::path gdb;              // Empty when gdb is missing (attaching is then impossible).
  std::filesystem::path zstd;
};

// Finds heaptrack next to the `heaptrack` program on PATH (its lib/heaptrack folder); nullopt, with
// `why` set, when a piece is missing.
std::optional<HeaptrackTools> find_heaptrack(std::string& why);

// How stopping went.
struct StopOutcome {
  bool stopped = false;          // The process let go of the pipe: it records nothing any more.
  bool writer_finished = false;  // The trace was written to its end.
  double seconds = 0;            // From asking heaptrack to stop to the trace written.
  std::string problem;           // Why not, when either is false.
};

// One recording into a zstd-compressed trace file; the pipe lives in a folder of its own that is
// removed, with the writer stopped, when the recording is destroyed.
class Recording {
 public:
  // Makes the pipe and starts the writer into `trace`; the writer's and gdb's output go beside it
  // (<trace>.stderr, gdb-attach.log and gdb-stop.log with their .stderr and the .py script gdb ran). Throws core::InfrastructureError when the pipe
  // or the writer cannot be made.
  Recording(run::ProcessRunner& runner, const HeaptrackTools& tools, std::filesystem::path trace);
  ~Recording();
  Recording(const Recording&) = delete;
  Recording& operator=(const Recording&) = delete;

  // What a program started now needs in its environment to be recorded from its first allocation.
  std::map<std::string, std::string> preload_environment() const;

  // Injects heaptrack into running `pid` through gdb and waits until it writes to the pipe;
  // empty on success, else why not (no permission, no gdb, a static program, ...).
  std::string attach(pid_t pid);

  // Waits until started process `pid` writes to the pipe; empty on success, else why not.
  std::string await_connection(pid_t pid, double timeout_s);

  // Asks heaptrack in `pid` to stop (heaptrack_stop() through gdb) and waits for the trace to be
  // written; a process that has gone closes the pipe itself.
  StopOutcome stop(pid_t pid);

  // Whether `pid` holds the recording's pipe open (recording into it).
  bool holds_pipe(pid_t pid) const;

  // Seconds the injection took (gdb start to the pipe opened).
  double attach_seconds() const { return attach_s_; }

 private:
  // Runs gdb attached to `pid` with `arguments`, its output in <log_name> beside the trace; empty, or
  // why it failed. A process gdb left stopped is resumed.
  std::string run_gdb(pid_t pid, const std::vector<std::string>& arguments, const std::string& log_name);

  // Runs gdb `commands` inside `pid` in a thread that holds no lock they take (gdb_call.hpp), trying
  // again while there is none; empty, or why not.
  std::string call_in_process(pid_t pid, const std::vector<std::string>& commands, const std::string& log_name);

  run::ProcessRunner& runner_;
  HeaptrackTools tools_;
  std::filesystem::path trace_;
  std::filesystem::path folder_;  // The pipe's folder, made by the recording.
  std::filesystem::path pipe_;
  std::unique_ptr<run::ProcessHandle> writer_;
  double attach_s_ = 0;
};

}  // namespace plumb::doctor

// One look at a running process through /proc: resident memory, threads, open fds, CPU time.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include <sys/types.h>

namespace plumb::doctor {

// What /proc said about the process at one moment.
struct ProcSample {
  double seconds = 0;           // Since the observation started.
  std::uint64_t rss_bytes = 0;  // Resident set (statm field 2 times the page size).
  std::uint64_t threads = 0;    // Entries in /proc/<pid>/task.
  std::uint64_t fds = 0;        // Entries in /proc/<pid>/fd.
  std::uint64_t cpu_ticks = 0;  // utime + stime from /proc/<pid>/stat, in clock ticks.
};

// The resident page count of a /proc/<pid>/statm line, or nullopt when it is not one.
std::optional<std::uint64_t> parse_statm_resident_pages(std::string_view statm);

// Fields of /proc/<pid>/stat that the doctor reads.
struct StatFields {
  char state = '?';             // R, S, D, Z, ...
  std::uint64_t cpu_ticks = 0;  // utime + stime.
};

// The state and CPU ticks of a /proc/<pid>/stat line (the command name may hold spaces and
// parentheses), or nullopt when it is not one.
std::optional<StatFields> parse_stat(std::string_view stat);

// Samples process `pid` now; nullopt when it has gone (or become a zombie) or cannot be read.
std::optional<ProcSample> read_proc_sample(pid_t pid, double seconds);

// Whether /proc/<pid> exists and its fd folder can be read by us.
bool can_observe(pid_t pid);

}  // namespace plumb::doctor

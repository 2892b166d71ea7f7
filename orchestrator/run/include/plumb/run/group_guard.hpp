// Children that die with plumb, however plumb ends, and processes that escaped their group.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace plumb::run {

// A small process forked once per plumb (before any child starts) that holds the process groups
// plumb started. When plumb ends in any way, SIGKILL included, the guard's pipe closes and it kills
// every group still registered. It ignores SIGINT, SIGTERM and SIGHUP and leads its own group, so
// what stops plumb does not stop it first.
class GroupGuard {
 public:
  // Forks the guard; throws core::InfrastructureError when it cannot.
  GroupGuard();
  // Closes the pipe: the guard kills what is still registered and exits.
  ~GroupGuard();
  GroupGuard(const GroupGuard&) = delete;
  GroupGuard& operator=(const GroupGuard&) = delete;

  // Registers a group plumb started; it is killed if plumb dies before releasing it.
  void hold(int pgid);
  // Releases a group plumb has killed and reaped, so that a later group reusing the id is safe.
  void release(int pgid);
  // The guard's own pid (a child of plumb that is no orphan).
  int pid() const { return pid_; }

 private:
  int write_fd_ = -1;
  int pid_ = -1;
};

// The environment variable every started process gets, naming its run; processes that carry it
// after their run ended escaped its group (setsid, setpgid) and were left behind.
inline constexpr const char* kRunTokenVariable = "PLUMB_RUN_TOKEN";

// One process a run left behind.
struct Straggler {
  int pid = 0;
  std::string command;  // Its command line, arguments joined by spaces.
};

// Every live process of this user whose environment holds kRunTokenVariable=`token` and that is
// not in process group `pgid` (members of the run's own group were killed with it; 0: none),
// after killing each with SIGKILL (they are the run's own). Empty when /proc cannot be read.
std::vector<Straggler> kill_stragglers(const std::string& token, int pgid);

// Makes plumb a child subreaper (PR_SET_CHILD_SUBREAPER): a process whose parent ends is then
// reparented to plumb rather than to init, whatever its environment, session or group, so that
// kill_orphans sees it. False when the kernel refuses.
bool become_subreaper();

// Every live child of plumb that plumb did not start itself (not in `known`, not carrying one of
// `others_tokens`, the run tokens of runs still going, not in `dying_group`, a group just killed):
// processes orphaned inside a run and reparented to plumb as subreaper, each killed with SIGKILL
// and reaped. Orphans that already ended are reaped silently. Empty when /proc cannot be read.
std::vector<Straggler> kill_orphans(const std::set<int>& known, const std::set<std::string>& others_tokens,
                                    int dying_group);

}  // namespace plumb::run

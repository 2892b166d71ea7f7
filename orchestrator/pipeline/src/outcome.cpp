// From a finished run to its parsed outcome.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>

#include "plumb/core/errors.hpp"
#include "plumb/core/tools.hpp"
#include "plumb/parse/parse.hpp"
#include "plumb/pipeline/pipeline.hpp"
#include "plumb/run/wrapped.hpp"

namespace plumb::pipeline {

core::ParsedLog parse_log_file(const std::filesystem::path& path, const std::string& relative,
                               core::LogFormat format) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw core::InfrastructureError(path.string() + ": cannot read the log: " + std::strerror(errno));
  }
  core::ParsedLog log;
  log.path = relative;
  log.format = format;
  log.reporter = core::spec_of(format).reporter;
  log.result = parse::parse_log(format, in);
  return log;
}

namespace {

// The processes a run's memcheck logs are of, by log path (the followed processes of a run that
// follows children; empty otherwise).
std::map<std::filesystem::path, run::LoggedProcess> followed_processes(const run::FinishedRun& run,
                                                                       const run::PlannedRun& plan) {
  std::map<std::filesystem::path, run::LoggedProcess> processes;
  if (!plan.follows_children) {
    return processes;
  }
  for (const run::FoundLog& found : run.logs) {
    if (found.format == core::LogFormat::Memcheck) {
      if (auto process = run::memcheck_log_process(found.path)) {
        processes.emplace(found.path, std::move(*process));
      }
    }
  }
  return processes;
}

// Whether `found` is the memcheck log of a wrapper's own process (bash running run.sh, env, an
// interpreter): its descriptors, reachable memory and errors are the wrapper's, not the test's.
// Outside CTest the command is the user's own, and its process (no followed process started it) is
// judged even when its program is a wrapper's when nothing else can be the program: it started no
// followed process (`plumb exec -- python3 -c ...`), or it is what the command exec'd into (a
// version manager's shim that forks helpers, then execs the interpreter under the same pid).
bool is_wrapper_log(const run::FoundLog& found, const run::PlannedRun& plan,
                    const std::map<std::filesystem::path, run::LoggedProcess>& processes) {
  const auto self = processes.find(found.path);
  if (self == processes.end() || !run::is_wrapper(self->second.program, plan.wrappers)) {
    return false;
  }
  if (!plan.suite.empty() || self->second.pid == 0) {
    return true;
  }
  bool started_by_followed = false;
  bool started_followed = false;
  for (const auto& [path, other] : processes) {
    if (path == found.path) {
      continue;
    }
    started_by_followed = started_by_followed || other.pid == self->second.ppid;
    started_followed = started_followed || other.ppid == self->second.pid;
  }
  if (started_by_followed) {
    return true;
  }
  if (!started_followed) {
    return false;
  }
  std::error_code error;
  const std::filesystem::path command = run::resolve_program(plan.spec.target, plan.spec.cwd);
  const bool is_the_command = std::filesystem::equivalent(command, self->second.program, error) ||
                              command == std::filesystem::path(self->second.program);
  return is_the_command;
}

}  // namespace

core::VariantOutcome to_outcome(const run::FinishedRun& run, const run::PlannedRun& plan) {
  core::VariantOutcome outcome;
  outcome.result = run.result;
  outcome.expects_output = run.expects_output;
  outcome.signal = run.signal;
  outcome.exit_code_only = run.exit_code_only;
  outcome.killed_by_plumb = run.killed_by_plumb;
  outcome.errors = run.missing;
  for (const std::string& straggler : run.left_behind) {
    // Its logs may be cut or still being written, and it was a process the run leaked.
    outcome.errors.push_back(
        "left a process behind that escaped its process group (setsid or setpgid); "
        "plumb killed it: " +
        straggler);
  }
  std::size_t wrapper_logs = 0;
  const auto processes = followed_processes(run, plan);
  for (const run::FoundLog& found : run.logs) {
    if (!found.format) {
      continue;
    }
    if (is_wrapper_log(found, plan, processes)) {
      ++wrapper_logs;
      continue;
    }
    core::ParsedLog log = parse_log_file(found.path, found.relative, *found.format);
    log.foreign = found.foreign;
    outcome.logs.push_back(std::move(log));
  }
  if (wrapper_logs > 0 && outcome.logs.empty() && outcome.errors.empty()) {
    // `sh -c "test -f x"`: the tool ran, but only wrappers; its exit code is all there is to judge.
    outcome.expects_output = false;
    outcome.exit_code_only = true;
    if (outcome.result.note.empty()) {
      outcome.result.note = std::string(core::name_of(plan.tool)) + " checked no program: every process the test ran is a wrapper";
    }
  }
  return outcome;
}

}  // namespace plumb::pipeline

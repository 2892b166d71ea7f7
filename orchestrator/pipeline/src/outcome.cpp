// From a finished run to its parsed outcome.
#include <cerrno>
#include <cstring>
#include <fstream>

#include "plumb/core/errors.hpp"
#include "plumb/core/tools.hpp"
#include "plumb/parse/parse.hpp"
#include "plumb/pipeline/pipeline.hpp"
#include "plumb/run/wrapped.hpp"

namespace plumb::pipeline {

core::ParsedLog parse_log_file(const std::filesystem::path& path, const std::string& relative,
                               const std::string& parser) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw core::InfrastructureError(path.string() + ": cannot read the log: " + std::strerror(errno));
  }
  core::ParsedLog log;
  log.path = relative;
  log.tool = parser;
  log.result = parse::parse_log(parser, in);
  return log;
}

namespace {

// Whether `found` is the memcheck log of a wrapper's own process (bash running run.sh, env, an
// interpreter): its descriptors, reachable memory and errors are the wrapper's, not the test's.
bool is_wrapper_log(const run::FoundLog& found, const run::PlannedRun& plan) {
  if (!plan.follows_children || core::log_format_named(found.parser) != core::LogFormat::Memcheck) {
    return false;
  }
  const std::optional<std::string> program = run::memcheck_log_program(found.path);
  return program && run::is_wrapper(*program, plan.wrappers);
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
  for (const run::FoundLog& found : run.logs) {
    if (found.parser.empty()) {
      continue;
    }
    if (is_wrapper_log(found, plan)) {
      ++wrapper_logs;
      continue;
    }
    core::ParsedLog log = parse_log_file(found.path, found.relative, found.parser);
    log.foreign = found.foreign;
    outcome.logs.push_back(std::move(log));
  }
  if (wrapper_logs > 0 && outcome.logs.empty() && outcome.errors.empty()) {
    // `sh -c "test -f x"`: the tool ran, but only wrappers; its exit code is all there is to judge.
    outcome.expects_output = false;
    outcome.exit_code_only = true;
    if (outcome.result.note.empty()) {
      outcome.result.note = plan.tool + " checked no program: every process the test ran is a wrapper";
    }
  }
  return outcome;
}

}  // namespace plumb::pipeline

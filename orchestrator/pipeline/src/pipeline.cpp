// plan → build → run → parse → analyze.
#include <filesystem>
#include <map>

#include "plumb/analyze/gate.hpp"
#include "plumb/core/errors.hpp"
#include "plumb/core/output_dir.hpp"
#include "plumb/pipeline/pipeline.hpp"

namespace plumb::pipeline {
namespace {

// A log path as the report links it: relative to the report folder when inside it.
std::string linked(const std::filesystem::path& path, const std::filesystem::path& out_dir) {
  const std::filesystem::path relative = path.lexically_relative(out_dir);
  return !relative.empty() && *relative.begin() != ".." ? relative.string() : path.string();
}

// A planned run that did not start because its preset failed to build: an error, not a skip
// that passes, with the build log linked.
core::VariantOutcome not_built(const run::PlannedRun& plan, const run::BuildFailure& failure,
                               const std::filesystem::path& out_dir) {
  core::VariantOutcome outcome;
  outcome.result.name = plan.name;
  outcome.result.tool = plan.tool;
  outcome.result.status = core::VariantStatus::Skipped;
  outcome.result.command = plan.command;
  outcome.result.repro = plan.repro;
  outcome.result.canary = plan.canary;
  outcome.result.note = "not run: the build of preset " + failure.preset + " failed";
  outcome.result.logs.push_back(linked(failure.log, out_dir));
  const std::filesystem::path stderr_log = failure.log.string() + ".stderr";
  if (std::filesystem::exists(stderr_log)) {
    outcome.result.logs.push_back(linked(stderr_log, out_dir));
  }
  outcome.errors.push_back("not run: the build of preset " + failure.preset + " failed; see " +
                           linked(failure.log, out_dir));
  outcome.expects_output = false;
  return outcome;
}

}  // namespace

core::Report execute(const Plan& plan, run::ProcessRunner& runner, const Hooks& hooks) {
  // Before anything is built or run: a variant folder plumb did not make is never replaced. One
  // that holds nothing but that variant's logs is an earlier plumb's (before the marker): adopted.
  for (const run::PlannedRun& planned : plan.runs) {
    if (std::filesystem::is_directory(planned.out_dir) && !core::is_owned_dir(planned.out_dir) &&
        run::holds_only_its_logs(planned)) {
      core::mark_owned(planned.out_dir);
    }
    core::require_owned_or_absent(planned.out_dir);
  }
  std::map<std::string, run::BuildFailure> failed_preset;
  if (plan.config != nullptr && !plan.builds.empty()) {
    const std::filesystem::path log_dir = plan.out_dir / "build-logs";
    std::filesystem::create_directories(log_dir);
    try {
      for (auto& failure : run::build_presets(runner, *plan.config, plan.builds, log_dir, hooks.progress,
                                              hooks.stop_requested)) {
        failed_preset.emplace(failure.preset, failure);
      }
    } catch (const core::InfrastructureError&) {
      // Only a stop request throws: the scheduler below then starts nothing and says so.
    }
  }
  std::vector<run::PlannedRun> runnable;
  for (const run::PlannedRun& planned : plan.runs) {
    if (planned.preset.empty() || failed_preset.count(planned.preset) == 0) {
      runnable.push_back(planned);
    }
  }
  run::SchedulerOptions scheduling;
  scheduling.jobs = plan.jobs;
  scheduling.report_dir = plan.out_dir;
  scheduling.progress = hooks.progress;
  scheduling.stop_requested = hooks.stop_requested;
  scheduling.heartbeat = hooks.heartbeat;
  scheduling.kill_grace = hooks.kill_grace;
  scheduling.poll_interval = hooks.poll_interval;
  const std::vector<run::FinishedRun> finished = run::run_variants(runner, runnable, scheduling);
  std::vector<core::VariantOutcome> outcomes;
  std::size_t next = 0;
  for (const run::PlannedRun& planned : plan.runs) {
    const auto failure = planned.preset.empty() ? failed_preset.end() : failed_preset.find(planned.preset);
    if (failure != failed_preset.end()) {
      outcomes.push_back(not_built(planned, failure->second, plan.out_dir));
    } else {
      outcomes.push_back(to_outcome(finished.at(next++)));
    }
  }
  core::Report report = analyze::analyze(std::move(outcomes), plan.inputs);
  if (hooks.stop_requested && hooks.stop_requested()) {
    report.errors.push_back("interrupted: plumb was asked to stop before the run ended");
    analyze::apply_gate(report, plan.inputs.policy);
  }
  return report;
}

}  // namespace plumb::pipeline

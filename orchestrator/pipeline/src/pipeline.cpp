// plan → build → run → parse → analyze.
#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>

#include "plumb/analyze/gate.hpp"
#include "plumb/core/errors.hpp"
#include "plumb/core/output_dir.hpp"
#include "plumb/core/terminal_text.hpp"
#include "plumb/pipeline/pipeline.hpp"
#include "plumb/run/cmake_file_api.hpp"
#include "plumb/run/ctest.hpp"

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

// A program guessed at <build tree>/bin/<target> that is not there: where CMake's file API says
// the target's executable is, when it says so.
void find_built_program(run::PlannedRun& plan) {
  if (plan.cmake_target.empty() || std::filesystem::exists(plan.spec.target)) {
    return;
  }
  if (const auto program = run::executable_of(plan.build_tree, plan.cmake_target)) {
    run::relocate_program(plan, *program);
  }
}

// A planned run that was not started because plumb was asked to stop first: "interrupted" and
// nothing else (no cause guessed from a build or a listing the stop cut short).
core::VariantOutcome not_started(const run::PlannedRun& plan) {
  core::VariantOutcome outcome;
  outcome.result.name = plan.name;
  outcome.result.tool = plan.tool;
  outcome.result.status = core::VariantStatus::Skipped;
  outcome.result.command = plan.command;
  outcome.result.repro = plan.repro;
  outcome.result.canary = plan.canary;
  outcome.result.note = "interrupted: not started, plumb was asked to stop";
  outcome.expects_output = false;
  return outcome;
}

// A CTest variant whose tests could not be listed (ctest failed, printed no list, or listed no
// test to run): an error, with the listing's logs linked.
core::VariantOutcome not_listed(const run::PlannedRun& plan, const std::string& why,
                                const std::filesystem::path& out_dir) {
  core::VariantOutcome outcome;
  outcome.result.name = plan.name;
  outcome.result.tool = plan.tool;
  outcome.result.status = core::VariantStatus::Incomplete;
  outcome.result.command = plan.command;
  outcome.result.repro = plan.repro;
  outcome.result.note = "its CTest tests were not run";
  for (const std::filesystem::path& log : {plan.spec.stdout_path, plan.spec.stderr_path}) {
    if (std::filesystem::exists(log)) {
      outcome.result.logs.push_back(linked(log, out_dir));
    }
  }
  outcome.errors.push_back(why);
  outcome.expects_output = false;
  return outcome;
}

// The runs of a CTest variant's tests, listed by CTest in its (now built) tree. Disabled tests
// are left out as CTest leaves them out; no test to run is an error, never an empty pass.
std::vector<run::PlannedRun> plan_suite_tests(run::ProcessRunner& runner, const run::PlannedRun& suite,
                                              const std::filesystem::path& out_dir, const Hooks& hooks) {
  try {
    core::prepare_owned_dir(suite.out_dir, out_dir);
  } catch (const core::UsageError& refused) {
    throw core::InfrastructureError(refused.what());
  }
  if (hooks.progress != nullptr) {
    *hooks.progress << core::terminal_safe("plumb: listing the CTest tests of " + suite.name + ": " +
                                           suite.command)
                    << std::endl;
  }
  run::PlannedRun lister = suite;
  lister.spec.log_root = out_dir;  // the listing's logs are opened below the report folder, through no link
  const std::vector<run::CtestTest> tests = run::list_ctest_tests(runner, lister, hooks.stop_requested);
  std::vector<run::PlannedRun> runs;
  std::string without_command;
  std::size_t position = 0;
  const std::string& only = suite.ctest->selection.only;
  if (!only.empty() && !run::find_ctest_test(tests, only)) {
    throw core::InfrastructureError(run::no_such_test_message(tests, only, suite.build_tree));
  }
  for (const run::CtestTest& test : tests) {
    ++position;  // Counted over the whole listing, so a test's folder is the same when run alone.
    if (test.disabled || (!only.empty() && test.name != only)) {
      continue;
    }
    if (test.command.empty()) {
      without_command += (without_command.empty() ? "" : ", ") + test.name;
      continue;
    }
    runs.push_back(run::plan_ctest_test(suite, test, position));
  }
  if (!without_command.empty()) {
    throw core::InfrastructureError(
        "ctest lists no command for " + without_command + " in " + suite.build_tree.string() +
        ": CTest names a test's program only once it is built (or the test is not "
        "available in this configuration); see " +
        suite.spec.stdout_path.string());
  }
  if (runs.empty()) {
    throw core::InfrastructureError(
        "ctest listed no test to run" +
        std::string(tests.empty() ? "" : " (every test it listed is DISABLED)") + " in " +
        suite.build_tree.string() + " for '" + suite.command +
        "': a suite with no test proves nothing; check the preset builds its tests and the selection");
  }
  return runs;
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
    const std::filesystem::path log_dir = plan.out_dir / core::kBuildLogs;
    core::keep_owned_dir(log_dir);
    try {
      for (auto& failure : run::build_presets(runner, *plan.config, plan.builds, log_dir, hooks.progress,
                                              hooks.stop_requested)) {
        failed_preset.emplace(failure.preset, failure);
      }
    } catch (const core::InfrastructureError&) {
      // Only a stop request throws: the scheduler below then starts nothing and says so.
    }
  }
  // Each planned run becomes its outcomes: not built, or run (a CTest variant: one run per test,
  // or one error when its tests cannot be listed).
  struct Slot {
    std::vector<std::size_t> runs;              // Indexes into `runnable`, in report order.
    std::optional<core::VariantOutcome> ready;  // Decided without running anything.
  };
  std::vector<Slot> slots(plan.runs.size());
  std::vector<run::PlannedRun> runnable;
  const auto stopped = [&hooks] { return hooks.stop_requested && hooks.stop_requested(); };
  if (stopped() && hooks.progress != nullptr) {
    *hooks.progress << "plumb: stop requested; nothing more is built, listed or started" << std::endl;
  }
  for (std::size_t i = 0; i < plan.runs.size(); ++i) {
    const run::PlannedRun& planned = plan.runs[i];
    const auto failure = planned.preset.empty() ? failed_preset.end() : failed_preset.find(planned.preset);
    if (stopped()) {
      slots[i].ready = not_started(planned);  // after a stop nothing more is listed or started
    } else if (failure != failed_preset.end()) {
      slots[i].ready = not_built(planned, failure->second, plan.out_dir);
    } else if (planned.ctest) {
      try {
        for (run::PlannedRun& test : plan_suite_tests(runner, planned, plan.out_dir, hooks)) {
          slots[i].runs.push_back(runnable.size());
          runnable.push_back(std::move(test));
        }
      } catch (const core::InfrastructureError& error) {
        slots[i].ready = stopped() ? not_started(planned) : not_listed(planned, error.what(), plan.out_dir);
      }
    } else {
      slots[i].runs.push_back(runnable.size());
      runnable.push_back(planned);
      find_built_program(runnable.back());
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
  for (Slot& slot : slots) {
    if (slot.ready) {
      outcomes.push_back(std::move(*slot.ready));
    }
    for (const std::size_t index : slot.runs) {
      outcomes.push_back(to_outcome(finished.at(index)));
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

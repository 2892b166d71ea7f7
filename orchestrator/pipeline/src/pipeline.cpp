// plan → build → run → parse → analyze.
#include <algorithm>
#include <filesystem>
#include <map>
#include <numeric>
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

// A planned run that never ran, skipped with `note`: it expects no output.
core::VariantOutcome skipped(const run::PlannedRun& plan, const std::string& note) {
  core::VariantOutcome outcome;
  outcome.result.name = plan.name;
  outcome.result.tool = plan.tool;
  outcome.result.status = core::VariantStatus::Skipped;
  outcome.result.command = plan.command;
  outcome.result.repro = plan.repro;
  outcome.result.canary = plan.canary;
  outcome.result.note = note;
  outcome.expects_output = false;
  return outcome;
}

// A planned run that did not start because its preset failed to build: an error, not a skip
// that passes, with the build log linked.
core::VariantOutcome not_built(const run::PlannedRun& plan, const run::BuildFailure& failure,
                               const std::filesystem::path& out_dir) {
  core::VariantOutcome outcome = skipped(plan, "not run: the build of preset " + failure.preset + " failed");
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
  return skipped(plan, "interrupted: not started, plumb was asked to stop");
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

// A CTest test CTest would not start, judged as CTest judges it: DISABLED is skipped by its own
// rule (in every report file; never a pass, never an error); a missing REQUIRED_FILES entry is
// "Not Run", which CTest counts as failed (it lists the test under FAILED and exits non-zero).
core::VariantOutcome not_started(const run::PlannedRun& plan, std::string why, bool skipped) {
  core::VariantOutcome outcome;
  outcome.result.name = plan.name;
  outcome.result.suite = plan.suite;
  outcome.result.test = plan.test;
  outcome.result.tool = plan.tool;
  outcome.result.status = skipped ? core::VariantStatus::Skipped : core::VariantStatus::Failed;
  outcome.result.skipped_by_rule = skipped;
  outcome.result.command = plan.command;
  outcome.result.repro = plan.repro;
  outcome.result.note = std::move(why);
  outcome.expects_output = false;
  outcome.exit_code_only = true;
  return outcome;
}

// What a CTest variant becomes: one run per test CTest would start, in the order its fixtures
// need (each run's `after` counts from the first of them), and the tests it would not start.
struct SuiteTests {
  std::vector<run::PlannedRun> runs;
  std::vector<core::VariantOutcome> not_started;
};

// Each run's `after`: a fixture's setups before the tests requiring it, those before its cleanups.
void order_fixtures(SuiteTests& planned, const std::vector<const run::CtestTest*>& tests) {
  for (std::size_t i = 0; i < tests.size(); ++i) {
    for (std::size_t j = 0; j < tests.size(); ++j) {
      const bool sets_up = std::any_of(tests[i]->fixtures_required.begin(), tests[i]->fixtures_required.end(),
                                       [&](const std::string& fixture) {
                                         const auto& setup = tests[j]->fixtures_setup;
                                         return std::find(setup.begin(), setup.end(), fixture) != setup.end();
                                       });
      const bool cleans_up = std::any_of(tests[i]->fixtures_cleanup.begin(), tests[i]->fixtures_cleanup.end(),
                                         [&](const std::string& fixture) {
                                           const auto& needs = tests[j]->fixtures_required;
                                           return std::find(needs.begin(), needs.end(), fixture) != needs.end();
                                         });
      if (j < i && (sets_up || cleans_up)) {  // fixture_order put what it waits for first
        planned.runs[i].after.push_back(j);
      }
      if (j < i && sets_up) {
        planned.runs[i].needs_passed.push_back(j);
      }
    }
  }
}

// The runs of a CTest variant's tests, listed by CTest in its (now built) tree. Disabled tests and
// tests missing a REQUIRED_FILES entry are skipped as CTest skips them; no test to run is an
// error, never an empty pass.
SuiteTests plan_suite_tests(run::ProcessRunner& runner, const run::PlannedRun& suite,
                            const std::filesystem::path& out_dir, const Hooks& hooks,
                            const std::map<std::string, NativeTime>& native) {
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
  SuiteTests planned;
  std::vector<const run::CtestTest*> started;
  std::string without_command;
  const std::string& only = suite.ctest->selection.only;
  if (!only.empty() && !run::find_ctest_test(tests, only)) {
    throw core::InfrastructureError(run::no_such_test_message(tests, only, suite.build_tree));
  }
  for (const std::size_t index : run::fixture_order(tests)) {
    const run::CtestTest& test = tests[index];
    // Counted over the whole listing, so a test's folder is the same when run alone.
    const std::size_t position = index + 1;
    if (!only.empty() && test.name != only) {
      continue;
    }
    if (test.command.empty() && !test.disabled) {
      without_command += (without_command.empty() ? "" : ", ") + test.name;
      continue;
    }
    if (test.command.empty()) {
      run::PlannedRun plan;
      plan.name = suite.name + "/" + test.name;
      plan.suite = suite.name;
      plan.test = test.name;
      plan.tool = suite.tool;
      planned.not_started.push_back(not_started(plan, "skipped: DISABLED, CTest does not run it either", true));
      continue;
    }
    run::PlannedRun plan = run::plan_ctest_test(suite, test, position);
    if (const auto known = native.find(test.name); known != native.end()) {
      plan.native_s = known->second.seconds;
      plan.native_where = known->second.where;
    }
    const std::vector<std::string> missing = run::missing_required_files(test, suite.build_tree);
    if (test.disabled) {
      planned.not_started.push_back(not_started(plan, "skipped: DISABLED, CTest does not run it either", true));
    } else if (!missing.empty()) {
      planned.not_started.push_back(
          not_started(plan, "not run: its REQUIRED_FILES entry " + missing.front() + " does not exist", false));
    } else {
      planned.runs.push_back(std::move(plan));
      started.push_back(&test);
    }
  }
  order_fixtures(planned, started);
  if (!without_command.empty()) {
    throw core::InfrastructureError(
        "ctest lists no command for " + without_command + " in " + suite.build_tree.string() +
        ": CTest names a test's program only once it is built (or the test is not "
        "available in this configuration); see " +
        suite.spec.stdout_path.string());
  }
  if (planned.runs.empty()) {
    throw core::InfrastructureError(
        "ctest listed no test to run" +
        std::string(tests.empty() ? "" : " (every test it listed is DISABLED or misses a REQUIRED_FILES entry)") +
        " in " +
        suite.build_tree.string() + " for '" + suite.command +
        "': a suite with no test proves nothing; check the preset builds its tests and the selection");
  }
  return planned;
}

// Which planned outcomes (by place in the plan) are this shard's: each outcome decided without
// running is a unit of its own, and runs tied by their fixtures (`after`) are one unit.
std::vector<bool> shard_positions(const std::vector<std::string>& plan_names,
                                  const std::vector<run::PlannedRun>& runnable,
                                  const std::vector<std::size_t>& run_position, const ShardRequest& request) {
  std::vector<std::size_t> root(runnable.size());
  std::iota(root.begin(), root.end(), 0);
  const auto find = [&root](std::size_t i) {
    while (root[i] != i) {
      i = root[i] = root[root[i]];
    }
    return i;
  };
  for (std::size_t i = 0; i < runnable.size(); ++i) {
    for (const std::size_t before : runnable[i].after) {
      root[find(i)] = find(before);
    }
  }
  std::vector<std::size_t> unit_of_position(plan_names.size(), plan_names.size());
  std::vector<ShardUnit> units;
  std::map<std::size_t, std::size_t> unit_of_root;
  for (std::size_t index = 0; index < runnable.size(); ++index) {
    const auto [it, fresh] = unit_of_root.try_emplace(find(index), units.size());
    if (fresh) {
      units.push_back(ShardUnit{runnable[index].name, {}, 0});
    }
    units[it->second].positions.push_back(run_position[index]);
    unit_of_position[run_position[index]] = it->second;
  }
  for (std::size_t position = 0; position < plan_names.size(); ++position) {
    if (unit_of_position[position] == plan_names.size()) {
      unit_of_position[position] = units.size();
      units.push_back(ShardUnit{plan_names[position], {position}, 0});
    }
  }
  weigh_units(units, plan_names, request);
  const std::vector<int> shard = assign_units(units, request.spec.count);
  std::vector<bool> mine(plan_names.size(), false);
  for (std::size_t position = 0; position < plan_names.size(); ++position) {
    mine[position] = shard[unit_of_position[position]] == request.spec.index - 1;
  }
  return mine;
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
    std::vector<core::VariantOutcome> not_started;  // CTest tests CTest would not start either.
  };
  std::vector<Slot> slots(plan.runs.size());
  std::vector<run::PlannedRun> runnable;
  const auto stopped = [&hooks] { return hooks.stop_requested && hooks.stop_requested(); };
  if (stopped() && hooks.progress != nullptr) {
    *hooks.progress << "plumb: stop requested; nothing more is built, listed or started" << std::endl;
  }
  const std::map<std::string, NativeTime> native = native_times(plan.runs, plan.config);
  for (std::size_t i = 0; i < plan.runs.size(); ++i) {
    const run::PlannedRun& planned = plan.runs[i];
    const auto failure = planned.preset.empty() ? failed_preset.end() : failed_preset.find(planned.preset);
    if (stopped()) {
      slots[i].ready = not_started(planned);  // after a stop nothing more is listed or started
    } else if (failure != failed_preset.end()) {
      slots[i].ready = not_built(planned, failure->second, plan.out_dir);
    } else if (planned.ctest) {
      try {
        SuiteTests tests = plan_suite_tests(runner, planned, plan.out_dir, hooks, native);
        runnable.reserve(runnable.size() + tests.runs.size());  // a suite's plans, not doubled room
        const std::size_t first = runnable.size();
        for (run::PlannedRun& test : tests.runs) {
          for (std::size_t& before : test.after) {
            before += first;
          }
          for (std::size_t& setup : test.needs_passed) {
            setup += first;
          }
          slots[i].runs.push_back(runnable.size());
          runnable.push_back(std::move(test));
        }
        slots[i].not_started = std::move(tests.not_started);
      } catch (const core::InfrastructureError& error) {
        slots[i].ready = stopped() ? not_started(planned) : not_listed(planned, error.what(), plan.out_dir);
      }
    } else {
      slots[i].runs.push_back(runnable.size());
      runnable.push_back(planned);
      find_built_program(runnable.back());
    }
  }
  // A shard keeps its part of the plan: every outcome's place in the report is numbered (the
  // plan every shard records), runs tied by fixtures stay together, and the units are dealt out.
  std::vector<std::string> plan_names;
  std::vector<std::size_t> ready_position(slots.size());
  std::vector<std::vector<std::size_t>> not_started_position(slots.size());
  std::vector<std::size_t> run_position(runnable.size());
  for (std::size_t i = 0; i < slots.size(); ++i) {
    if (slots[i].ready) {
      ready_position[i] = plan_names.size();
      plan_names.push_back(slots[i].ready->result.name);
    }
    for (const std::size_t index : slots[i].runs) {
      run_position[index] = plan_names.size();
      plan_names.push_back(runnable[index].name);
    }
    for (const core::VariantOutcome& outcome : slots[i].not_started) {
      not_started_position[i].push_back(plan_names.size());
      plan_names.push_back(outcome.result.name);
    }
  }
  std::vector<bool> mine(plan_names.size(), true);
  if (plan.shard) {
    mine = shard_positions(plan_names, runnable, run_position, *plan.shard);
    std::vector<std::size_t> renumbered(runnable.size(), runnable.size());
    std::vector<run::PlannedRun> kept;
    std::vector<std::size_t> kept_position;
    for (std::size_t index = 0; index < runnable.size(); ++index) {
      if (mine[run_position[index]]) {
        renumbered[index] = kept.size();
        kept.push_back(std::move(runnable[index]));
        kept_position.push_back(run_position[index]);
      }
    }
    for (run::PlannedRun& run : kept) {  // a unit holds what its runs wait for: all renumbered
      for (std::size_t& before : run.after) {
        before = renumbered.at(before);
      }
      for (std::size_t& setup : run.needs_passed) {
        setup = renumbered.at(setup);
      }
    }
    for (Slot& slot : slots) {
      std::vector<std::size_t> runs;
      for (const std::size_t index : slot.runs) {
        if (renumbered[index] < kept.size()) {
          runs.push_back(renumbered[index]);
        }
      }
      slot.runs = std::move(runs);
    }
    runnable = std::move(kept);
    run_position = std::move(kept_position);
    if (hooks.progress != nullptr) {
      const auto count = static_cast<std::size_t>(std::count(mine.begin(), mine.end(), true));
      *hooks.progress << "plumb: shard " << plan.shard->spec.index << "/" << plan.shard->spec.count << ": "
                      << count << " of " << plan_names.size() << " planned runs, balanced by "
                      << (plan.shard->timings.empty() ? "count" : "the timings of an earlier report")
                      << (count == 0 ? " (nothing for this shard: more shards than units of work)" : "")
                      << std::endl;
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
  std::vector<run::FinishedRun> finished = run::run_variants(runner, runnable, scheduling);
  add_native_runs(finished);
  std::vector<core::VariantOutcome> outcomes;
  std::vector<std::size_t> positions;
  outcomes.reserve(plan_names.size());
  positions.reserve(plan_names.size());
  for (std::size_t i = 0; i < slots.size(); ++i) {
    Slot& slot = slots[i];
    if (slot.ready && mine[ready_position[i]]) {
      outcomes.push_back(std::move(*slot.ready));
      positions.push_back(ready_position[i]);
    }
    for (const std::size_t index : slot.runs) {
      outcomes.push_back(to_outcome(finished.at(index), runnable.at(index)));
      positions.push_back(run_position[index]);
      // Its outcome holds what the report needs: the plan and the raw result are let go now, so
      // plumb never holds every test three times over.
      finished[index] = run::FinishedRun{};
      runnable[index] = run::PlannedRun{};
    }
    for (std::size_t j = 0; j < slot.not_started.size(); ++j) {
      if (mine[not_started_position[i][j]]) {
        outcomes.push_back(std::move(slot.not_started[j]));
        positions.push_back(not_started_position[i][j]);
      }
    }
  }
  std::vector<run::FinishedRun>().swap(finished);
  std::vector<run::PlannedRun>().swap(runnable);
  std::optional<core::ShardRecord> record;
  if (plan.shard) {
    record.emplace();
    record->index = plan.shard->spec.index;
    record->count = plan.shard->spec.count;
    record->balance = plan.shard->timings.empty() ? core::ShardBalance::Count : core::ShardBalance::Timings;
    record->timings_run_id = plan.shard->timings.empty() ? "" : plan.shard->timings_run_id;
    record->plan_digest = plan_digest(plan_names, plan.inputs.digest);
    record->plan = std::move(plan_names);
    record->source_root = plan.inputs.source_root.string();
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
      record->runs.push_back(record_outcome(outcomes[i], positions[i]));
    }
  }
  core::Report report = analyze::analyze(std::move(outcomes), plan.inputs);
  report.shard = std::move(record);
  if (hooks.stop_requested && hooks.stop_requested()) {
    report.errors.push_back("interrupted: plumb was asked to stop before the run ended");
    analyze::apply_gate(report, plan.inputs.policy);
  }
  return report;
}

}  // namespace plumb::pipeline

#include "plumb/run/scheduler.hpp"

#include <algorithm>
#include <csignal>
#include <cstring>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>

#include "plumb/core/errors.hpp"
#include "plumb/core/output_dir.hpp"
#include "plumb/core/terminal_text.hpp"
#include "plumb/core/tools.hpp"
#include "plumb/run/ctest.hpp"
#include "plumb/run/harness_progress.hpp"
#include "plumb/run/slow_test.hpp"
#include "plumb/run/wrapped.hpp"

namespace plumb::run {
namespace {

using Clock = std::chrono::steady_clock;

// The longest gap between two "still running" lines.
constexpr std::chrono::milliseconds kLongestHeartbeat = std::chrono::minutes(5);

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// One run in flight.
struct Slot {
  std::size_t index = 0;
  std::unique_ptr<ProcessHandle> process;
  Clock::time_point started;
  bool said_slow = false;  // Half its timeout has passed and the progress said why that may be.
  std::optional<Clock::time_point> terminated;  // When its timeout sent SIGTERM to its group.
  std::optional<Clock::time_point> killed;      // When SIGKILL followed, one grace later.
};

// How long a group may take to vanish after SIGKILL before plumb stops waiting for it.
constexpr std::chrono::seconds kKillWait{10};

// The SIGTERM-to-SIGKILL wait for a run under `tool`: the configured one, or the tool's own when
// longer (valgrind writes the end of its log after the signal).
std::chrono::milliseconds kill_grace_for(core::Tool tool, std::chrono::milliseconds configured) {
  return std::max(configured, std::chrono::milliseconds(std::chrono::seconds(core::spec_of(tool).kill_grace_s)));
}

class Scheduler {
 public:
  Scheduler(ProcessRunner& runner, const std::vector<PlannedRun>& plans, const SchedulerOptions& options)
      : runner_(runner), plans_(plans), options_(options), results_(plans.size()), ended_(plans.size(), false) {
    for (std::size_t i = 0; i < plans.size(); ++i) {
      core::VariantResult& result = results_[i].result;
      result.name = plans[i].name;
      result.suite = plans[i].suite;
      result.test = plans[i].test;
      result.tool = plans[i].tool;
      result.command = plans[i].command;
      result.repro = plans[i].repro;
      result.canary = plans[i].canary;
      results_[i].exit_code_only = plans[i].exit_code_only;
      result.status = core::VariantStatus::Skipped;
      for (const LogSpec& spec : plans[i].logs) {
        results_[i].expects_output = results_[i].expects_output || spec.required;
      }
    }
  }

  std::vector<FinishedRun> run() {
    const int jobs = std::max(1, options_.jobs);
    std::size_t next = 0;
    auto last_heartbeat = Clock::now();
    // Spaced out as the run grows: each gap twice the last, up to kLongestHeartbeat.
    std::chrono::milliseconds heartbeat_gap = options_.heartbeat;
    while (next < plans_.size() || !running_.empty()) {
      if (options_.stop_requested && options_.stop_requested()) {
        stop_everything(next);
        break;
      }
      while (static_cast<int>(running_.size()) < jobs && next < plans_.size() && may_start(next)) {
        launch(next++);
      }
      bool freed = false;  // a slot for the next run: start it now, not after the next wait
      for (auto slot = running_.begin(); slot != running_.end();) {
        if (settle(*slot)) {
          ended_[slot->index] = true;
          slot = running_.erase(slot);
          freed = true;
        } else {
          ++slot;
        }
      }
      if (Clock::now() - last_heartbeat >= heartbeat_gap && !running_.empty()) {
        heartbeat();
        last_heartbeat = Clock::now();
        heartbeat_gap = std::max(options_.heartbeat, std::min(heartbeat_gap * 2, kLongestHeartbeat));
      }
      if (!running_.empty() && !freed) {
        runner_.wait_for_change(options_.poll_interval);
      }
    }
    return std::move(results_);
  }

 private:
  void say(const std::string& line) {
    if (options_.progress != nullptr) {
      *options_.progress << "plumb: " << core::terminal_safe(line) << std::endl;
    }
  }

  std::string counter(std::size_t index) const {
    return "[" + std::to_string(index + 1) + "/" + std::to_string(plans_.size()) + "] ";
  }

  // Whether plans_[index] may start now: the runs it comes after have ended, and neither it nor a
  // running one is RUN_SERIAL or holds one of its RESOURCE_LOCKs.
  bool may_start(std::size_t index) const {
    const PlannedRun& plan = plans_[index];
    if (std::any_of(plan.after.begin(), plan.after.end(),
                    [&](std::size_t before) { return before < ended_.size() && !ended_[before]; }) ||
        (plan.run_serial && !running_.empty())) {
      return false;
    }
    return std::none_of(running_.begin(), running_.end(), [&](const Slot& slot) {
      const PlannedRun& other = plans_[slot.index];
      return other.run_serial || std::any_of(plan.locks.begin(), plan.locks.end(), [&](const std::string& lock) {
               return std::find(other.locks.begin(), other.locks.end(), lock) != other.locks.end();
             });
    });
  }

  void launch(std::size_t index) {
    const PlannedRun& plan = plans_[index];
    FinishedRun& finished = results_[index];
    ended_[index] = true;  // Until it is running: a run that cannot start has ended.
    for (const std::size_t setup : plan.needs_passed) {
      if (results_[setup].result.status != core::VariantStatus::Ok) {
        // CTest's "Failed test dependencies": a fixture whose setup did not pass is not there.
        finished.result.status = core::VariantStatus::Failed;
        finished.result.note = "not run: its fixture setup " + plans_[setup].name + " did not pass";
        finished.expects_output = false;
        say(counter(index) + plan.name + " " + finished.result.note);
        return;
      }
    }
    try {
      // Logs of an earlier run in the same folder would be mistaken for this run's; only a
      // folder plumb made is ever replaced, and only inside the report folder.
      try {
        core::prepare_owned_dir(plan.out_dir, options_.report_dir);
      } catch (const core::UsageError& refused) {
        throw core::InfrastructureError(refused.what());
      }
      ProcessSpec spec = plan.spec;
      spec.log_root = options_.report_dir;  // its logs are opened below the report folder, through no link
      Slot slot{index, runner_.start(spec), Clock::now(), false, std::nullopt, std::nullopt};
      ended_[index] = false;
      say(counter(index) + plan.name + " started (" + std::string(core::name_of(plan.tool)) + ")");
      running_.push_back(std::move(slot));
    } catch (const core::InfrastructureError& failure) {
      finished.result.status = core::VariantStatus::Incomplete;
      finished.result.note = failure.what();
      collect_logs(index, std::string("it could not start: ") + failure.what());
      say(counter(index) + plan.name + " could not start: " + failure.what());
    }
  }

  // Finishes the slot if its process ended or its time is up; true when it is done.
  bool settle(Slot& slot) {
    const PlannedRun& plan = plans_[slot.index];
    FinishedRun& finished = results_[slot.index];
    std::optional<ProcessExit> exit = slot.process->poll();
    if (!exit && plan.timeout_s > 0 && !slot.said_slow && seconds_since(slot.started) >= plan.timeout_s / 2 &&
        seconds_since(slot.started) < plan.timeout_s) {
      slot.said_slow = true;
      say(counter(slot.index) + plan.name + " has used half of its " + format_elapsed(plan.timeout_s) +
          " timeout under " + std::string(core::name_of(plan.tool)) + ": " + slow_hint(plan));
    }
    // Every timeout is enforced on its own clock, without blocking the others: SIGTERM at the
    // deadline, SIGKILL one grace later, and the run is settled once its leader is reaped.
    if (!exit && !slot.terminated && plan.timeout_s > 0 && seconds_since(slot.started) >= plan.timeout_s) {
      say(counter(slot.index) + plan.name + " timed out under " + std::string(core::name_of(plan.tool)) + " after " +
          format_elapsed(plan.timeout_s) + "; killing its process group");
      slot.process->signal_group(SIGTERM);
      slot.terminated = Clock::now();
      return false;
    }
    if (slot.terminated) {
      if (!exit && !slot.killed && Clock::now() - *slot.terminated < kill_grace_for(plan.tool, options_.kill_grace)) {
        return false;
      }
      if (!slot.killed) {
        slot.process->signal_group(SIGKILL);  // even when the leader is gone: its children may remain
        slot.killed = Clock::now();
      }
      if (!exit && Clock::now() - *slot.killed < kKillWait) {
        return false;
      }
      finished.killed_by_plumb = true;
      finished.result.status = core::VariantStatus::Timeout;
      if (plan.suite.empty()) {
        finished.result.note =
            "killed after the " + format_elapsed(plan.timeout_s) + " timeout (" + slow_hint(plan) + ")";
      } else {  // a CTest test: its native time, where its limit comes from, the way out
        finished.result.timed_out = timeout_account(plan);
        finished.result.note = timeout_note(plan.tool, *finished.result.timed_out);
      }
      finished.result.duration_s = seconds_since(slot.started);
      finished.left_behind = slot.process->kill_stragglers();
      collect_logs(slot.index);
      return true;
    }
    if (!exit) {
      return false;
    }
    // The leader is gone; whatever it left running in its group went with it (the handle kills the
    // group as it reaps), and whatever escaped the group is found by its run token.
    slot.process->signal_group(SIGKILL);
    finished.left_behind = slot.process->kill_stragglers();
    finished.result.duration_s = seconds_since(slot.started);
    finished.result.exit_code = exit->exit_code;
    if (exit->signal != 0) {
      finished.signal = exit->signal;
      finished.result.status = core::VariantStatus::Crashed;
      finished.result.note = std::string("killed by signal ") + std::to_string(exit->signal) + " (" +
                             strsignal(exit->signal) + ")";
    } else if (plan.expect_failure) {
      // A WILL_FAIL test passes by failing, as CTest judges it.
      const int code = exit->exit_code.value_or(0);
      finished.result.status = code != 0 ? core::VariantStatus::Ok : core::VariantStatus::Failed;
      finished.result.note =
          code != 0 ? "exited with code " + std::to_string(code) + ", as its WILL_FAIL property expects"
                    : "exited with code 0, but its WILL_FAIL property expects it to fail";
    } else if (exit->exit_code.value_or(0) != 0) {
      finished.result.status = core::VariantStatus::Failed;
      finished.result.note = "exited with code " + std::to_string(*exit->exit_code);
      if (core::is_report_exit_code(plan.tool, *exit->exit_code)) {
        finished.result.note += ", " + std::string(core::name_of(plan.tool)) + "'s code for \"I reported an error\"";
      }
    } else {
      finished.result.status = core::VariantStatus::Ok;
    }
    judge_ctest_test(plan, finished.result);  // CTest's own rules, for one CTest test
    collect_logs(slot.index);
    say(counter(slot.index) + plan.name +
        " finished: " + std::string(core::to_string(finished.result.status)) + " in " +
        format_elapsed(finished.result.duration_s) +
        (finished.result.note.empty() ? "" : " (" + finished.result.note + ")"));
    return true;
  }

  // Lists the run's log files and the required ones it did not leave; `start_failure`, when the
  // run could not start, is why each of them is missing (not the tool's usual hint).
  void collect_logs(std::size_t index, const std::string& start_failure = "") {
    const PlannedRun& plan = plans_[index];
    FinishedRun& finished = results_[index];
    // Whatever the run made below its folder (a snapshots folder) is plumb's to replace next time.
    try {
      core::mark_owned_below(plan.out_dir);
    } catch (const std::exception&) {
      // A folder that cannot be marked is refused by the next run, with its name; nothing is lost.
    }
    std::vector<std::filesystem::path> files;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(plan.out_dir, error)) {
      if (entry.is_regular_file()) {
        files.push_back(entry.path());
      }
    }
    std::sort(files.begin(), files.end());
    // Switched-off detection is named in the report, whatever the run's end.
    for (const std::string& line : plan.disabled_detection) {
      finished.result.note += (finished.result.note.empty() ? "" : "; ") + line;
    }
    for (const LogSpec& spec : plan.logs) {
      bool found = false;
      for (const std::filesystem::path& file : files) {
        if (!log_matches(spec, file.filename().string())) {
          continue;
        }
        found = true;
        std::string relative =
            file.lexically_relative(std::filesystem::absolute(options_.report_dir)).string();
        if (relative.empty() || relative.rfind("..", 0) == 0) {
          relative = file.string();
        }
        finished.logs.push_back(FoundLog{file, relative, spec.format, spec.foreign});
        finished.result.logs.push_back(relative);
      }
      if (!found && spec.required && !finished.killed_by_plumb &&
          finished.result.status != core::VariantStatus::Skipped) {
        // A fact for analysis, which decides what it means for the variant.
        std::string missing = "no " + (spec.format ? std::string(core::name_of(*spec.format)) + " output" : std::string("log")) +
                              " (" + spec.prefix + "*" + spec.suffix + ") was written";
        if (!start_failure.empty()) {
          missing += ": " + start_failure;
        } else if (!spec.missing.empty()) {
          missing += ": " + spec.missing;
        }
        finished.missing.push_back(std::move(missing));
      }
    }
  }

  void stop_everything(std::size_t next) {
    say("stop requested; killing " + std::to_string(running_.size()) + " running variant(s)");
    // All groups at once: SIGTERM, one grace for all of them, SIGKILL to what is left.
    for (Slot& slot : running_) {
      slot.process->signal_group(SIGTERM);
    }
    auto grace = options_.kill_grace;
    for (const Slot& slot : running_) {
      grace = std::max(grace, kill_grace_for(plans_[slot.index].tool, options_.kill_grace));
    }
    const auto deadline = Clock::now() + grace;
    std::vector<std::optional<ProcessExit>> exits(running_.size());
    const auto wait_all = [&](Clock::time_point until) {
      while (true) {
        bool all = true;
        for (std::size_t i = 0; i < running_.size(); ++i) {
          if (!exits[i]) {
            exits[i] = running_[i].process->poll();
          }
          all = all && exits[i].has_value();
        }
        if (all || Clock::now() >= until) {
          return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    };
    wait_all(deadline);
    for (Slot& slot : running_) {
      slot.process->signal_group(SIGKILL);
    }
    wait_all(Clock::now() + kKillWait);
    for (Slot& slot : running_) {
      FinishedRun& finished = results_[slot.index];
      finished.killed_by_plumb = true;
      finished.result.status = core::VariantStatus::Incomplete;
      finished.result.note = "interrupted: plumb was asked to stop";
      finished.result.duration_s = seconds_since(slot.started);
      finished.left_behind = slot.process->kill_stragglers();
      collect_logs(slot.index);
    }
    running_.clear();
    for (std::size_t index = next; index < plans_.size(); ++index) {
      results_[index].result.status = core::VariantStatus::Skipped;
      results_[index].result.note = "not started: plumb was asked to stop";
    }
  }

  void heartbeat() {
    std::string line = "still running:";
    for (const Slot& slot : running_) {
      const PlannedRun& plan = plans_[slot.index];
      line += " " + plan.name + " (" + format_elapsed(seconds_since(slot.started));
      if (plan.follows_children && plan.tool == core::Tool::Memcheck) {
        line += ", " + std::to_string(followed_processes(plan.out_dir)) + " process(es) under memcheck so far";
      }
      for (const LogSpec& spec : plan.logs) {
        if (spec.format == core::LogFormat::Samples) {
          if (const auto progress = harness_progress(plan.out_dir / spec.prefix)) {
            line += ", " + *progress;
          }
        }
      }
      line += ")";
    }
    say(line);
  }

  ProcessRunner& runner_;
  const std::vector<PlannedRun>& plans_;
  const SchedulerOptions& options_;
  std::vector<FinishedRun> results_;
  std::vector<Slot> running_;
  std::vector<bool> ended_;  // Per plan: it ran to its end, or could not start.
};

}  // namespace

std::vector<FinishedRun> run_variants(ProcessRunner& runner, const std::vector<PlannedRun>& plans,
                                      const SchedulerOptions& options) {
  return Scheduler(runner, plans, options).run();
}

std::string format_elapsed(double seconds) {
  std::ostringstream text;
  if (seconds < 60) {
    text.precision(seconds < 10 ? 2 : 3);
    text << seconds << "s";
  } else {
    const long whole = static_cast<long>(seconds + 0.5);
    const auto two_digits = [&text](long value) { text << (value < 10 ? "0" : "") << value; };
    if (whole >= 3600) {
      text << whole / 3600 << "h";
      two_digits(whole / 60 % 60);
    } else {
      text << whole / 60;
    }
    text << "m";
    two_digits(whole % 60);
    text << "s";
  }
  return text.str();
}

}  // namespace plumb::run

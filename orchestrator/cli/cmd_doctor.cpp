// plumb doctor: watch a process (started here, or by pid), fit robust slopes to its RSS, threads and
// fds, print a diagnosis with its numbers and write report.json / report.html; with --sites, record
// its allocations with heaptrack for the watch and name the allocation sites that grow.
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <csignal>
#include <cstdio>
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h>
#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "pipeline.hpp"
#include "plumb/run/shell.hpp"
#include "plumb/core/clock.hpp"
#include "plumb/core/errors.hpp"
#include "plumb/analyze/baseline.hpp"
#include "plumb/analyze/suppressions.hpp"
#include "plumb/core/atomic_file.hpp"
#include "plumb/core/output_dir.hpp"
#include "plumb/doctor/diagnosis.hpp"
#include "plumb/doctor/heaptrack_recorder.hpp"
#include "plumb/doctor/monitor.hpp"
#include "plumb/doctor/report.hpp"
#include "plumb/doctor/site_analysis.hpp"
#include "plumb/pipeline/pipeline.hpp"
#include "plumb/profile/flame_graph.hpp"
#include "plumb/run/system_runner.hpp"

namespace plumb::cli {

namespace {

struct DoctorArgs {
  doctor::ObserveOptions observe;
  doctor::Thresholds thresholds;
  std::optional<int> pid;
  std::vector<std::string> command;
  std::string out = "plumb-doctor";
  bool sites = false;
  doctor::SiteThresholds site_thresholds;
  std::string suppressions;
  std::string baseline;
};

// The folder of the recording's files inside the report folder.
constexpr const char* kSitesFolder = "heaptrack";

// The folder of a started command's output inside the report folder.
constexpr const char* kCommandFolder = "command";

// What --sites does around the watch: start recording before it, stop after it (the process runs
// on), read the trace.
class SiteWatch {
 public:
  SiteWatch(const DoctorArgs& args, run::ProcessRunner& runner)
      : runner_(runner), folder_(std::filesystem::path(args.out) / kSitesFolder) {
    std::string why;
    const auto tools = doctor::find_heaptrack(why);
    if (!tools) {
      recording_.errors.push_back("cannot record allocation sites: " + why);
      return;
    }
    core::prepare_owned_dir(folder_, args.out);
    trace_ = folder_ / "heaptrack.zst";
    recorder_ = std::make_unique<doctor::Recording>(runner, *tools, trace_);
    recording_.trace_log = std::string(kSitesFolder) + "/heaptrack.zst";
  }

  // The environment a started program needs (empty when not recording).
  std::map<std::string, std::string> environment() const {
    return recorder_ ? recorder_->preload_environment() : std::map<std::string, std::string>{};
  }

  // Starts recording `pid`: attached when running, else waiting for the started program.
  void start(pid_t pid, bool started_here) {
    if (!recorder_) return;
    const std::string why = started_here ? recorder_->await_connection(pid, 10) : recorder_->attach(pid);
    add_log("gdb-attach.log");
    if (!why.empty()) {
      recording_.errors.push_back("cannot record allocation sites of pid " + std::to_string(pid) + ": " + why);
      recorder_.reset();
      return;
    }
    if (!started_here) {
      std::cerr << "plumb doctor: heaptrack attached to pid " << pid << " in " << recorder_->attach_seconds()
                << " s\n";
    }
  }

  // Stops recording `pid` and leaves it running.
  void stop(pid_t pid, bool process_gone, bool started_here) {
    if (!recorder_) return;
    const auto outcome = recorder_->stop(pid);
    add_log("gdb-stop.log");
    if (std::filesystem::exists(folder_ / "heaptrack.zst.stderr")) {
      recording_.logs.push_back(std::string(kSitesFolder) + "/heaptrack.zst.stderr");  // heaptrack's own counts
    }
    if (!outcome.stopped) {
      recording_.errors.push_back(outcome.problem);
    } else if (!outcome.writer_finished) {
      recording_.errors.push_back(outcome.problem);
    } else if (!process_gone && !started_here) {
      recording_.notes.push_back(fmt_stop(pid, outcome.seconds));
    }
    recorder_.reset();  // The pipe and its folder go; the trace stays.
  }

  // Reads the trace and judges its sites.
  void analyse(const doctor::Diagnosis& diagnosis, const DoctorArgs& args, bool process_gone, double elapsed_s) {
    if (trace_.empty() || !std::filesystem::exists(trace_)) return;  // nothing was recorded (an error says why)
    if (!recording_.errors.empty()) {
      // What was recorded before the failure is still shown; the failure already makes the run an error.
      if (std::filesystem::file_size(trace_) > 0) read(diagnosis, args);
      return;
    }
    read(diagnosis, args);
    if (process_gone && analysis_) {
      analysis_->complete = false;
      analysis_->incomplete_reason = "the process ended after " + std::to_string(static_cast<int>(elapsed_s)) +
                                     " s, during the watch; its sites are judged on what was recorded";
    }
    if (analysis_ && !analysis_->complete) {
      recording_.errors.push_back("allocation sites: " + analysis_->incomplete_reason);
    }
  }

  const doctor::SiteRecording& recording() const { return recording_; }
  const doctor::SiteAnalysis* analysis() const { return analysis_ ? &*analysis_ : nullptr; }

 private:
  static std::string fmt_stop(pid_t pid, double seconds) {
    char text[160];
    std::snprintf(text, sizeof text,
                  "recording stopped in %.1f s; pid %d runs on and heaptrack in it records nothing more (its pipe "
                  "is closed)",
                  seconds, static_cast<int>(pid));
    return text;
  }

  void add_log(const std::string& name) {
    for (const auto& file : {name, name + ".stderr"}) {
      if (std::filesystem::exists(folder_ / file)) recording_.logs.push_back(std::string(kSitesFolder) + "/" + file);
    }
  }

  void read(const doctor::Diagnosis& diagnosis, const DoctorArgs& args) {
    doctor::SiteOptions options;
    options.thresholds = args.site_thresholds;
    options.warmup_s = diagnosis.warmup_s;
    for (const auto& m : diagnosis.metrics) {
      if (m.metric == "rss") options.rss_slope_per_s = m.slope_per_s;
    }
    options.interval_ms = std::max(10.0, 1000.0 * args.observe.interval_s / 2);
    analysis_ = doctor::analyse_trace(trace_, options, runner_);
    recording_.analysis = &*analysis_;
    profile::FlameGraphOptions flame;
    flame.title = "Bytes allocated during the watch and still live at its end";
    flame.unit = "bytes";
    core::write_file_atomically(folder_ / "live-bytes.html", profile::render_flame_graph(analysis_->live_at_end, flame));
    recording_.logs.push_back(std::string(kSitesFolder) + "/live-bytes.html");
  }

  run::ProcessRunner& runner_;
  std::filesystem::path folder_;
  std::filesystem::path trace_;
  std::unique_ptr<doctor::Recording> recorder_;
  doctor::SiteRecording recording_;
  std::optional<doctor::SiteAnalysis> analysis_;
};

int run_doctor(const DoctorArgs& args) {
  if (args.pid.has_value() == !args.command.empty()) {
    throw core::UsageError("plumb doctor: give either --pid PID or -- CMD ARGS..., not both or neither");
  }
  if (args.observe.interval_s <= 0 || args.observe.duration_s <= 0 ||
      args.observe.interval_s > args.observe.duration_s) {
    throw core::UsageError(
        "plumb doctor: --interval and --duration must be positive, the interval not longer");
  }
  analyze::AnalysisInputs inputs;
  if (!args.suppressions.empty()) inputs.suppressions = analyze::load_suppressions(args.suppressions);
  if (!args.baseline.empty()) inputs.baseline = analyze::load_baseline(args.baseline);
  inputs.today = analyze::today_utc();
  inputs.plumb_version = pipeline::plumb_version();
  const core::OutputLock lock(args.out);  // one writer per report folder
  const auto runner = run::make_system_runner();
  std::unique_ptr<SiteWatch> sites;
  if (args.sites) sites = std::make_unique<SiteWatch>(args, *runner);
  // A command is started through the process runner like every run of plumb's: its own process
  // group (stopped whole at the end), its output in the report folder.
  std::unique_ptr<run::ProcessHandle> child;
  std::optional<run::ProcessExit> child_exit;
  std::vector<std::string> command_logs;
  pid_t pid = 0;
  std::string described;
  std::string repro = "plumb doctor";
  if (args.sites) repro += " --sites";
  repro += " --duration " + std::to_string(static_cast<int>(args.observe.duration_s));
  if (args.pid) {
    pid = static_cast<pid_t>(*args.pid);
    if (!doctor::can_observe(pid)) {
      throw core::InfrastructureError(
          "plumb doctor: cannot observe pid " + std::to_string(pid) +
          " (no such process, or its /proc entries are not readable by this user)");
    }
    described = "pid " + std::to_string(pid);
    repro += " --pid " + std::to_string(pid);
    if (sites) sites->start(pid, false);
  } else {
    const std::filesystem::path output = std::filesystem::path(args.out) / kCommandFolder;
    core::prepare_owned_dir(output, args.out);
    run::ProcessSpec spec;
    spec.argv = args.command;
    spec.target = args.command.front();
    if (sites) spec.env = sites->environment();
    spec.stdout_path = output / "stdout.log";
    spec.stderr_path = output / "stderr.log";
    spec.new_process_group = true;
    child = runner->start(spec);
    command_logs = {std::string(kCommandFolder) + "/stdout.log", std::string(kCommandFolder) + "/stderr.log"};
    pid = static_cast<pid_t>(child->pid());
    described = run::shell_command(args.command);
    repro += " -- " + described;
    if (sites) sites->start(pid, true);
  }
  std::cerr << "plumb doctor: watching " << described << " (pid " << pid << ") for "
            << args.observe.duration_s << " s, a sample every " << args.observe.interval_s << " s"
            << (args.sites ? ", recording its allocations" : "") << "\n";
  std::function<bool()> has_exited;
  if (child) {
    has_exited = [&child, &child_exit] {
      if (!child_exit) child_exit = child->poll();
      return child_exit.has_value();
    };
  }
  const auto observation = doctor::observe(pid, args.observe, has_exited);
  if (sites) sites->stop(pid, observation.exited_early, child != nullptr);
  if (child) {
    if (!child_exit) child_exit = child->poll();
    if (!child_exit) child_exit = run::terminate_group(*child, std::chrono::seconds(1));
    child->signal_group(SIGKILL);  // what it left running in its group goes with it
    child->kill_stragglers();
  }
  const auto diagnosis =
      doctor::diagnose(observation.samples, args.thresholds, static_cast<double>(sysconf(_SC_CLK_TCK)));
  if (sites) sites->analyse(diagnosis, args, observation.exited_early, observation.elapsed_s);
  for (const auto& line : doctor::describe(diagnosis)) {
    std::cout << line << "\n";
  }
  if (sites && sites->analysis() != nullptr) {
    for (const auto& line : doctor::describe_sites(*sites->analysis())) {
      std::cout << line << "\n";
    }
  }
  if (sites) {
    for (const auto& error : sites->recording().errors) std::cout << "  error: " << error << "\n";
    for (const auto& note : sites->recording().notes) std::cout << "  note: " << note << "\n";
  }
  if (observation.exited_early) {
    std::cout << "  note: the process exited after " << observation.elapsed_s << " s";
    if (child_exit && child_exit->exit_code) {
      std::cout << " with exit code " << *child_exit->exit_code;
    }
    std::cout << "\n";
  }
  doctor::ObservedProcess process;
  process.command = described;
  process.repro = repro;
  process.duration_s = observation.elapsed_s;
  process.exited_early = observation.exited_early;
  process.generated_at = core::utc_timestamp();
  process.logs = command_logs;
  const core::Report report =
      doctor::to_report(diagnosis, process, sites ? sites->recording() : doctor::SiteRecording{}, inputs);
  // Published as every report is: the set written together, then the summary, the verdict's exit code.
  return publish_report(report, args.out);
}

}  // namespace

void add_doctor_command(CLI::App& app, Action& selected) {
  auto args = std::make_shared<DoctorArgs>();
  auto* command = app.add_subcommand(
      "doctor",
      "Watch a process's RSS, threads, fds and CPU and diagnose growth (exit 0 healthy, 1 something grows, "
      "3 cannot start/attach or too short to judge)");
  command->add_option("--interval", args->observe.interval_s, "Seconds between samples")
      ->capture_default_str();
  command->add_option("--duration", args->observe.duration_s, "Seconds to watch")->capture_default_str();
  command->add_option("--warmup", args->thresholds.warmup_s,
                      "Seconds of samples left out of the fits (default: 20% of the duration, at most 30)");
  command->add_option("--out", args->out, "Folder for report.json and report.html")->capture_default_str();
  command->add_option("--pid", args->pid, "Watch this running process instead of starting one");
  command
      ->add_option("--rss-kb-per-s", args->thresholds.rss_kb_per_s,
                   "RSS growth rate (KiB/s) that is a leak however long the watch")
      ->capture_default_str();
  command
      ->add_option("--min-rss-growth-kb", args->thresholds.min_rss_growth_kb,
                   "RSS growth over the fitted window (KiB) below which nothing is flagged")
      ->capture_default_str();
  command
      ->add_option("--threads-per-min", args->thresholds.threads_per_min,
                   "Thread-count growth rate that is a leak")
      ->capture_default_str();
  command
      ->add_option("--min-thread-growth", args->thresholds.min_thread_growth,
                   "Thread-count growth over the window below which nothing is flagged")
      ->capture_default_str();
  command->add_option("--fds-per-min", args->thresholds.fds_per_min, "Fd-count growth rate that is a leak")
      ->capture_default_str();
  command
      ->add_option("--min-fd-growth", args->thresholds.min_fd_growth,
                   "Fd-count growth over the window below which nothing is flagged")
      ->capture_default_str();
  command
      ->add_option("--cpu-bound", args->thresholds.cpu_bound_share,
                   "Mean cores used at or above which: CPU-bound")
      ->capture_default_str();
  command->add_option("--idle", args->thresholds.idle_share, "Mean cores used at or below which: idle")
      ->capture_default_str();
  command->add_option("--min-samples", args->thresholds.min_samples, "Fewest fitted samples for a verdict")
      ->capture_default_str();
  command
      ->add_option("--min-window", args->thresholds.min_window_s, "Shortest fitted window (s) for a verdict")
      ->capture_default_str();
  command->add_flag("--sites", args->sites,
                    "Also record allocations with heaptrack for the watch (attached through gdb to --pid, or "
                    "preloaded into the command), then stop recording and leave the process running, and name "
                    "the allocation sites whose live bytes grow");
  command
      ->add_option("--site-bytes-per-s", args->site_thresholds.bytes_per_s,
                   "A site's live-bytes growth rate (B/s) below which it never counts as growing")
      ->capture_default_str();
  command
      ->add_option("--min-site-growth-bytes", args->site_thresholds.min_growth_bytes,
                   "A site's live-bytes growth over the fitted window (bytes) below which nothing is flagged")
      ->capture_default_str();
  command->add_option("--suppressions", args->suppressions, "plumb suppressions file applied to the findings");
  command->add_option("--baseline", args->baseline, "Baseline of accepted findings (plumb baseline update)");
  command->add_option("command", args->command, "The command to start and watch (after --)");
  command->callback([args, &selected] { selected = [args] { return run_doctor(*args); }; });
}

}  // namespace plumb::cli

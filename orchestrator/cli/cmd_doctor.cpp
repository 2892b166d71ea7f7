// plumb doctor: watch a process (started here, or by pid), fit robust slopes to its RSS, threads and
// fds, print a diagnosis with its numbers and write report.json / report.html.
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h>
#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "plumb/core/errors.hpp"
#include "plumb/core/output_dir.hpp"
#include "plumb/doctor/diagnosis.hpp"
#include "plumb/doctor/monitor.hpp"
#include "plumb/doctor/report.hpp"
#include "plumb/reports/write.hpp"

namespace plumb::cli {

namespace {

struct DoctorArgs {
  doctor::ObserveOptions observe;
  doctor::Thresholds thresholds;
  std::optional<int> pid;
  std::vector<std::string> command;
  std::string out = "plumb-doctor";
};

std::string quoted(const std::vector<std::string>& argv) {
  std::string line;
  for (const auto& arg : argv) {
    if (!line.empty()) line += ' ';
    if (!arg.empty() && arg.find_first_of(" \t\n'\"\\$`*?;&|<>()[]{}!#~") == std::string::npos) {
      line += arg;
      continue;
    }
    line += '\'';
    for (const char c : arg) {
      line += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    line += '\'';
  }
  return line;
}

int run_doctor(const DoctorArgs& args) {
  if (args.pid.has_value() == !args.command.empty()) {
    throw core::UsageError("plumb doctor: give either --pid PID or -- CMD ARGS..., not both or neither");
  }
  if (args.observe.interval_s <= 0 || args.observe.duration_s <= 0 ||
      args.observe.interval_s > args.observe.duration_s) {
    throw core::UsageError(
        "plumb doctor: --interval and --duration must be positive, the interval not longer");
  }
  const core::OutputLock lock(args.out);  // one writer per report folder
  std::unique_ptr<doctor::Child> child;
  pid_t pid = 0;
  std::string described;
  if (args.pid) {
    pid = static_cast<pid_t>(*args.pid);
    if (!doctor::can_observe(pid)) {
      throw core::InfrastructureError(
          "plumb doctor: cannot observe pid " + std::to_string(pid) +
          " (no such process, or its /proc entries are not readable by this user)");
    }
    described = "pid " + std::to_string(pid);
  } else {
    child = std::make_unique<doctor::Child>(args.command);
    pid = child->pid();
    described = quoted(args.command);
  }
  std::cerr << "plumb doctor: watching " << described << " (pid " << pid << ") for "
            << args.observe.duration_s << " s, a sample every " << args.observe.interval_s << " s\n";
  std::function<bool()> has_exited;
  if (child) {
    has_exited = [&child] { return child->exited(); };
  }
  const auto observation = doctor::observe(pid, args.observe, has_exited);
  if (child) {
    child->stop();
  }
  const auto diagnosis =
      doctor::diagnose(observation.samples, args.thresholds, static_cast<double>(sysconf(_SC_CLK_TCK)));
  for (const auto& line : doctor::describe(diagnosis)) {
    std::cout << line << "\n";
  }
  if (observation.exited_early) {
    std::cout << "  note: the process exited after " << observation.elapsed_s << " s";
    if (child && child->exit_code()) {
      std::cout << " with exit code " << *child->exit_code();
    }
    std::cout << "\n";
  }
  doctor::ObservedProcess process;
  process.command = described;
  process.duration_s = observation.elapsed_s;
  process.exited_early = observation.exited_early;
  process.generated_at = doctor::utc_now_iso8601();
  const core::Report report = doctor::to_report(diagnosis, process);
  const auto written = reports::write_reports(report, args.out);
  std::cout << "report: " << written.json.string() << ", " << written.html.string() << "\n";
  return core::exit_code_of(report.verdict);
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
  command->add_option("command", args->command, "The command to start and watch (after --)");
  command->callback([args, &selected] { selected = [args] { return run_doctor(*args); }; });
}

}  // namespace plumb::cli

#include "scan_leak_runner.hpp"

namespace plumb::leak_test {

std::string ScanLeakRun::verdict_of(const std::string& metric) const {
  if (!summary || !summary->contains("series")) return {};
  for (const auto& series : (*summary)["series"]) {
    if (series.value("metric", "") == metric) return series.value("verdict", "");
  }
  return {};
}

std::string ScanLeakRun::transcript() const {
  std::string text = "exit " + std::to_string(child.exit_code) + " signal " + std::to_string(child.signal) +
                     (child.timed_out ? " (timed out)" : "") + "\n--- stdout\n" + child.out + "--- stderr\n";
  // Sanitizer reports can be long; the head says what happened.
  text += child.err.size() > 6000 ? child.err.substr(0, 6000) + "\n[...]\n" : child.err;
  return text;
}

std::string scan_leak_path() {
  return SCAN_LEAK_PATH;
}

std::map<std::string, std::optional<std::string>> sanitizer_environment() {
  return {
      {"ASAN_OPTIONS", "detect_leaks=1:halt_on_error=1:exitcode=23"},
      {"LSAN_OPTIONS", "exitcode=23"},
      {"UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1"},
      {"TSAN_OPTIONS", "halt_on_error=0:report_thread_leaks=1:exitcode=66"},
  };
}

ScanLeakRun run_scan_leak(const std::vector<std::string>& arguments,
                          const std::vector<std::string>& tool_prefix, std::chrono::seconds timeout) {
  std::vector<std::string> argv = tool_prefix;
  argv.push_back(scan_leak_path());
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  ScanLeakRun run;
  run.child = run_child(argv, sanitizer_environment(), timeout);
  const nlohmann::json parsed = nlohmann::json::parse(last_line(run.child.out), nullptr, false);
  if (!parsed.is_discarded() && parsed.is_object() && parsed.value("type", "") == "summary")
    run.summary = parsed;
  return run;
}

std::vector<std::string> short_workload() {
  switch (kBuild) {
    case Build::Plain:
      return {"--announcements", "50", "--iterations", "200"};
    case Build::Address:
      return {"--announcements", "40", "--iterations", "150"};
    case Build::Thread:
      return {"--announcements", "30", "--iterations", "120"};
  }
  return {};
}

}  // namespace plumb::leak_test

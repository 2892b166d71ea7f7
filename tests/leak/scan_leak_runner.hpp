#pragma once
// Runs the built scan_leak binary on a short workload and reads its JSON summary (test helper).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "child_process.hpp"

namespace plumb::leak_test {

// Which runtime the test binary (and so the scan_leak next to it) was built for.
enum class Build { Plain, Address, Thread };

#if defined(PLUMB_SANITIZER_ADDRESS)
inline constexpr Build kBuild = Build::Address;
#elif defined(PLUMB_SANITIZER_THREAD)
inline constexpr Build kBuild = Build::Thread;
#else
inline constexpr Build kBuild = Build::Plain;
#endif

// Exit code the tests ask LSan/ASan to use when they report (also the sanitizers' default).
inline constexpr int kSanitizerExitCode = 23;
// Exit code the tests ask TSan to use when it reported anything.
inline constexpr int kTsanExitCode = 66;

// Whether scan_leak judges `metric` in this build (RSS only natively: under a sanitizer it is
// mostly the tool's own memory and grows on its own).
inline bool judged(const std::string& metric) {
  return kBuild == Build::Plain || metric != "rss";
}

// One finished scan_leak run.
struct ScanLeakRun {
  ChildResult child;
  std::optional<nlohmann::json> summary;  // the last stdout line, when it parsed as a summary

  // The verdict ("ok"/"fail") of `metric` in the summary, or "" when absent.
  std::string verdict_of(const std::string& metric) const;
  // Everything the run printed, for failure messages.
  std::string transcript() const;
};

// The path of the scan_leak built with this test.
std::string scan_leak_path();

// Sanitizer settings for child runs: leaks, races and thread leaks reported with known exit codes,
// independent of what the calling environment (e.g. a CTest preset) sets.
std::map<std::string, std::optional<std::string>> sanitizer_environment();

// Runs scan_leak with `arguments`, optionally prefixed by a tool command (e.g. valgrind ...).
ScanLeakRun run_scan_leak(const std::vector<std::string>& arguments,
                          const std::vector<std::string>& tool_prefix = {},
                          std::chrono::seconds timeout = std::chrono::seconds(300));

// A short workload suited to this build (fewer announcements and iterations under sanitizers).
std::vector<std::string> short_workload();

}  // namespace plumb::leak_test

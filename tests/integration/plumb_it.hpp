// Helpers for the integration tests: run the real plumb, read its report, look for leftovers.
#pragma once

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <valgrind/valgrind.h>
#include <nlohmann/json.hpp>

#include "plumb/run/process.hpp"
#include "plumb/run/system_runner.hpp"

namespace plumb::integration {

// Why the test cannot run meaningfully here (nested valgrind, sanitizer build), or empty.
inline std::string skip_reason() {
  if (RUNNING_ON_VALGRIND) {
    return "nested under valgrind";
  }
#if defined(PLUMB_SANITIZER_ADDRESS) || defined(PLUMB_SANITIZER_THREAD)
  return "sanitizer build: the test programs are instrumented, tools would nest";
#else
  return "";
#endif
}

// Skips the test when skip_reason() names one.
#define PLUMB_SKIP_IF_NESTED()                          \
  do {                                                  \
    if (const auto why = skip_reason(); !why.empty()) { \
      GTEST_SKIP() << why;                              \
    }                                                   \
  } while (false)

// A sleep duration no other process on the machine uses (`salt` tells a test's own apart), to
// find a test's processes in /proc by their command line.
inline std::string unique_sleep(int salt) {
  return "100." + std::to_string(::getpid()) + std::to_string(salt);
}

// Whether `program` is on PATH.
inline bool on_path(const std::string& program) {
  return std::system(("command -v " + program + " >/dev/null 2>&1").c_str()) == 0;
}

// A fresh folder per test.
class ScratchDir {
 public:
  ScratchDir() {
    const auto* info = testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() /
            ("plumb-it-" + std::to_string(::getpid()) + "-" + info->test_suite_name() + "-" + info->name());
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The result of one plumb invocation.
struct PlumbRun {
  int exit_code = -1;
  std::string stdout_text;
  std::string stderr_text;
};

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Starts plumb with `args`; the caller waits or signals.
inline std::unique_ptr<run::ProcessHandle> start_plumb(const std::vector<std::string>& args,
                                                       const std::filesystem::path& scratch,
                                                       const std::map<std::string, std::string>& env = {}) {
  static const std::unique_ptr<run::ProcessRunner> runner = run::make_system_runner();
  run::ProcessSpec spec;
  spec.argv = {PLUMB_EXE};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.env = env;
  spec.cwd = scratch;
  spec.stdout_path = scratch / "plumb.stdout";
  spec.stderr_path = scratch / "plumb.stderr";
  return runner->start(spec);
}

// Runs plumb to completion (at most `limit`).
inline PlumbRun run_plumb(const std::vector<std::string>& args, const std::filesystem::path& scratch,
                          const std::map<std::string, std::string>& env = {},
                          std::chrono::seconds limit = std::chrono::seconds(240)) {
  auto process = start_plumb(args, scratch, env);
  auto exit = run::wait_for(*process, limit);
  if (!exit) {
    exit = run::terminate_group(*process, std::chrono::seconds(2));
    ADD_FAILURE() << "plumb did not finish in time";
  }
  PlumbRun result;
  result.exit_code = exit->exit_code.value_or(128 + exit->signal);
  result.stdout_text = read_file(scratch / "plumb.stdout");
  result.stderr_text = read_file(scratch / "plumb.stderr");
  return result;
}

inline nlohmann::json read_report(const std::filesystem::path& dir) {
  return nlohmann::json::parse(read_file(dir / "report.json"));
}

// Live (non-zombie) processes whose command line contains `marker`.
inline int live_processes_with(const std::string& marker) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string cmdline = read_file(entry.path() / "cmdline");
    if (cmdline.find(marker) == std::string::npos) {
      continue;
    }
    const std::string stat = read_file(entry.path() / "stat");
    const std::size_t paren = stat.rfind(')');
    if (paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] != 'Z') {
      ++count;
    }
  }
  return count;
}

// Waits up to 5 s for every process with `marker` to be gone; returns how many are left.
inline int wait_for_no_processes_with(const std::string& marker) {
  int left = live_processes_with(marker);
  for (int attempt = 0; attempt < 100 && left > 0; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    left = live_processes_with(marker);
  }
  return left;
}

}  // namespace plumb::integration

// scan_leak's command line: exit 2 and one clear line on misuse, 0 on --help.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "scan_leak_runner.hpp"

namespace plumb::leak_test {
namespace {

void expect_usage_error(const std::vector<std::string>& args, const std::string& message) {
  const ScanLeakRun run = run_scan_leak(args);
  EXPECT_EQ(run.child.exit_code, 2) << run.transcript();
  EXPECT_NE(run.child.err.find(message), std::string::npos) << run.transcript();
  EXPECT_FALSE(run.summary.has_value());
}

TEST(ScanLeakUsage, HelpExitsZero) {
  const ScanLeakRun run = run_scan_leak({"--help"});
  EXPECT_EQ(run.child.exit_code, 0);
  EXPECT_NE(run.child.out.find("--max-heap-bytes-per-iter"), std::string::npos);
}

TEST(ScanLeakUsage, RejectsUnknownDefect) {
  expect_usage_error({"--inject", "leak-everything"}, "unknown defect");
}

TEST(ScanLeakUsage, RejectsLeakPerIterWithoutSize) {
  expect_usage_error({"--inject", "leak-per-iter"}, "leak-per-iter=BYTES");
  expect_usage_error({"--inject", "leak-per-iter=0"}, "leak-per-iter=BYTES");
}

TEST(ScanLeakUsage, RejectsUnknownMode) {
  expect_usage_error({"--mode", "turbo"}, "--mode");
}

TEST(ScanLeakUsage, RejectsWarmupPastTheEnd) {
  expect_usage_error({"--iterations", "10", "--warmup", "10"}, "--warmup");
}

TEST(ScanLeakUsage, RejectsTooFewSamplesForASlope) {
  expect_usage_error({"--iterations", "10", "--sample-every", "5"}, "at least 3");
}

TEST(ScanLeakUsage, RejectsCacheFileOutsideCachedMode) {
  expect_usage_error({"--cache-file", "x.sqlite"}, "--mode cached");
}

TEST(ScanLeakUsage, RefusesACacheFileThatIsNotACacheAndKeepsIt) {
  const std::filesystem::path notes =
      std::filesystem::temp_directory_path() / ("scan-leak-notes-" + std::to_string(::getpid()) + ".txt");
  std::ofstream(notes) << "precious notes\n";
  const ScanLeakRun run = run_scan_leak(
      {"--mode", "cached", "--announcements", "20", "--iterations", "30", "--cache-file", notes.string()});
  EXPECT_EQ(run.child.exit_code, 3) << run.transcript();
  EXPECT_NE(run.child.err.find("is not an SQLite database"), std::string::npos) << run.transcript();
  std::ifstream in(notes);
  std::string text;
  std::getline(in, text);
  EXPECT_EQ(text, "precious notes");
  std::filesystem::remove(notes);
}

}  // namespace
}  // namespace plumb::leak_test

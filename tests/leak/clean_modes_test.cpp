// The clean harness, in every mode, must pass: exit 0, summary verdict ok, no tool report.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "scan_leak_runner.hpp"

namespace plumb::leak_test {
namespace {

class CleanMode : public ::testing::TestWithParam<std::string> {};

TEST_P(CleanMode, PassesWithEverySeriesFlat) {
  const TempDir dir;
  const std::string samples = dir.path() + "/samples.jsonl";
  std::vector<std::string> args = short_workload();
  args.insert(args.end(), {"--mode", GetParam(), "--threads", "2", "--samples", samples});
  if (GetParam() == "cached") args.insert(args.end(), {"--cache-file", dir.path() + "/cache.sqlite"});
  const ScanLeakRun run = run_scan_leak(args);

  ASSERT_EQ(run.child.exit_code, 0) << run.transcript();
  ASSERT_TRUE(run.summary.has_value()) << run.transcript();
  EXPECT_EQ((*run.summary)["verdict"], "ok") << run.transcript();
  std::vector<std::string> metrics;
  for (const auto& series : (*run.summary)["series"]) {
    metrics.push_back(series["metric"]);
    EXPECT_EQ(series["verdict"], "ok") << series.dump();
    EXPECT_GE(series["samples"].get<int>(), 3);
  }
  std::vector<std::string> expected;
  for (const char* metric : {"rss", "heap", "threads", "fds", "cache_bytes"}) {
    if (judged(metric)) expected.push_back(metric);
  }
  EXPECT_EQ(metrics, expected);
  EXPECT_EQ(run.child.err.find("Sanitizer"), std::string::npos) << run.transcript();

  // The samples file: meta first, one sample per interval, the stdout summary last.
  std::ifstream in(samples);
  std::string line;
  std::vector<nlohmann::json> lines;
  while (std::getline(in, line)) lines.push_back(nlohmann::json::parse(line));
  ASSERT_GE(lines.size(), 5u);
  const auto& meta = lines.front();
  EXPECT_EQ(meta["type"], "meta");
  EXPECT_EQ(meta["tool"], "scan_leak");
  EXPECT_EQ(meta["mode"], GetParam());
  EXPECT_EQ(meta["inject"], "none");
  for (const char* key : {"rss", "heap", "threads", "fds", "cache_bytes"})
    EXPECT_TRUE(meta["thresholds"].contains(key));
  EXPECT_EQ(lines.back(), *run.summary);
  const std::uint64_t iterations = meta["iterations"];
  const std::uint64_t every = meta["sample_every"];
  EXPECT_EQ(lines.size() - 2, iterations / every + 1 + (iterations % every != 0 ? 1 : 0));
  std::uint64_t previous = 0;
  for (std::size_t i = 1; i + 1 < lines.size(); ++i) {
    const auto& sample = lines[i];
    ASSERT_EQ(sample["type"], "sample");
    for (const char* key : {"iteration", "t_s", "rss", "heap", "threads", "fds", "cache_bytes"}) {
      ASSERT_TRUE(sample.contains(key)) << key;
    }
    EXPECT_GT(sample["rss"].get<std::uint64_t>(), 0u);
    EXPECT_TRUE(sample["heap"].is_number()) << "heap is measured natively and under sanitizers";
    EXPECT_GE(sample["threads"].get<int>(), 1);
    if (i > 1) {
      EXPECT_GT(sample["iteration"].get<std::uint64_t>(), previous);
    }
    previous = sample["iteration"];
  }
  if (GetParam() == "cached") {
    EXPECT_GT(lines[lines.size() - 2]["cache_bytes"].get<std::uint64_t>(), 0u);
  }
}

INSTANTIATE_TEST_SUITE_P(ScanLeak, CleanMode, ::testing::Values("batch", "stream", "pool", "cached"));

}  // namespace
}  // namespace plumb::leak_test

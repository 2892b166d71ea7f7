#include "plumb/doctor/diagnosis.hpp"

#include <gtest/gtest.h>

#include "plumb/doctor/report.hpp"

namespace plumb::doctor {
namespace {

// `count` samples every 0.1 s whose RSS rises by `rss_step` bytes and whose CPU ticks rise by `ticks_step`.
std::vector<ProcSample> series(std::size_t count, double rss_step, std::uint64_t ticks_step) {
  std::vector<ProcSample> samples;
  for (std::size_t i = 0; i < count; ++i) {
    ProcSample s;
    s.seconds = 0.1 * static_cast<double>(i);
    s.rss_bytes = static_cast<std::uint64_t>(50e6 + rss_step * static_cast<double>(i) + (i % 3) * 4096.0);
    s.threads = 4;
    s.fds = 7;
    s.cpu_ticks = ticks_step * i;
    samples.push_back(s);
  }
  return samples;
}

TEST(Diagnosis, TooFewSamplesGiveNoVerdict) {
  const auto diagnosis = diagnose(series(4, 1e6, 0), Thresholds{}, 100);
  EXPECT_FALSE(diagnosis.conclusive);
  EXPECT_FALSE(diagnosis.healthy());
  EXPECT_EQ(describe(diagnosis).front().rfind("inconclusive", 0), 0u);
}

TEST(Diagnosis, SteepSteadyGrowthIsALeakAndFlatIsHealthy) {
  // 1 MB per second over 3 s.
  const auto leaking = diagnose(series(31, 100e3, 10), Thresholds{}, 100);
  ASSERT_TRUE(leaking.conclusive);
  EXPECT_TRUE(leaking.metrics[0].growing);
  EXPECT_NEAR(leaking.metrics[0].slope_per_s, 1e6, 5e4);
  EXPECT_FALSE(leaking.metrics[1].growing);
  EXPECT_FALSE(leaking.healthy());
  EXPECT_EQ(describe(leaking).front().rfind("memory growing (leak suspected)", 0), 0u);
  EXPECT_EQ(leaking.activity, Activity::CpuBound);  // 10 ticks per 0.1 s at 100 ticks/s: one core.

  const auto flat = diagnose(series(31, 0, 0), Thresholds{}, 100);
  EXPECT_TRUE(flat.healthy());
  EXPECT_EQ(flat.activity, Activity::Idle);
}

TEST(Diagnosis, GrowthBelowTheWindowMinimumIsNotFlagged) {
  // 20 KB/s over 2.4 s fitted: 48 KB in all, under the default 1 MiB minimum for so short a watch.
  const auto diagnosis = diagnose(series(31, 2e3, 5), Thresholds{}, 100);
  EXPECT_TRUE(diagnosis.conclusive);
  EXPECT_FALSE(diagnosis.metrics[0].growing);
  EXPECT_GT(diagnosis.metrics[0].threshold_per_s, 20e3);
  EXPECT_EQ(diagnosis.activity, Activity::Busy);
}

TEST(Diagnosis, ReportCarriesSeriesFindingsAndVerdict) {
  const auto diagnosis = diagnose(series(31, 100e3, 10), Thresholds{}, 100);
  ObservedProcess process;
  process.command = "leaker";
  process.duration_s = 3;
  const auto report = to_report(diagnosis, process);
  EXPECT_EQ(report.verdict, core::Verdict::Fail);
  ASSERT_EQ(report.growth.size(), 3u);
  EXPECT_EQ(report.growth[0].metric, "rss");
  EXPECT_EQ(report.growth[0].verdict, core::GrowthVerdict::Fail);
  EXPECT_EQ(report.growth[0].samples.size(), 31u);
  EXPECT_GT(report.growth[0].threshold, 0);
  for (const auto& series : report.growth) {  // sampled over seconds: every slope is per second
    EXPECT_EQ(series.axis, core::GrowthAxis::Second) << series.metric;
  }
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].kind, core::FindingKind::HeapGrowth);
  EXPECT_EQ(to_report(diagnose(series(31, 0, 0), Thresholds{}, 100), process).verdict, core::Verdict::Pass);
}

}  // namespace
}  // namespace plumb::doctor

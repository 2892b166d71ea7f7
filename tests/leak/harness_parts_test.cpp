// The harness's own pieces: defect parsing, bounded series, the growth verdict, massif parsing.
#include <gtest/gtest.h>

#include <fstream>

#include "child_process.hpp"
#include "plumb/harness/bounded_series.hpp"
#include "plumb/harness/defect.hpp"
#include "plumb/harness/growth_verdict.hpp"
#include "plumb/harness/progress.hpp"
#include "plumb/harness/snapshotter.hpp"

namespace plumb::harness {
namespace {

TEST(ParseInjection, NamesAndSizes) {
  std::string error;
  EXPECT_EQ(parse_injection("none", error)->defect, Defect::None);
  EXPECT_EQ(parse_injection("race", error)->defect, Defect::Race);
  const auto per_iter = parse_injection("leak-per-iter=1024", error);
  ASSERT_TRUE(per_iter.has_value());
  EXPECT_EQ(per_iter->defect, Defect::LeakPerIteration);
  EXPECT_EQ(per_iter->bytes, 1024u);
  EXPECT_EQ(per_iter->to_string(), "leak-per-iter=1024");
  EXPECT_FALSE(parse_injection("race=3", error).has_value());
  EXPECT_NE(error.find("takes no argument"), std::string::npos);
  EXPECT_FALSE(parse_injection("leak-per-iter=12k", error).has_value());
  EXPECT_FALSE(parse_injection("leak", error).has_value());
}

TEST(BoundedSeries, KeepsEveryPointUntilFull) {
  BoundedSeries series(8);
  for (int i = 0; i < 8; ++i) series.add(i, 10.0 * i);
  EXPECT_EQ(series.iterations(), (std::vector<double>{0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(series.stride(), 1u);
}

TEST(BoundedSeries, DecimatesEvenlyAndNeverExceedsCapacity) {
  BoundedSeries series(8);
  for (int i = 0; i < 1000; ++i) {
    series.add(i, i);
    ASSERT_LE(series.iterations().size(), 8u);
  }
  const auto& x = series.iterations();
  ASSERT_GE(x.size(), 4u);
  const double step = x[1] - x[0];
  for (std::size_t i = 1; i < x.size(); ++i) EXPECT_DOUBLE_EQ(x[i] - x[i - 1], step);
  EXPECT_EQ(x.front(), 0);
  EXPECT_GT(x.back(), 500);  // The kept points still span the run.
  EXPECT_EQ(series.offered(), 1000u);
}

TEST(ProgressLine, SaysWhereTheLoopIsItsRateEtaAndMemory) {
  ProgressState state;
  state.iteration = 2500;
  state.iterations = 10000;
  state.scans_per_iteration = 10000;
  state.elapsed_s = 461.5;  // 25M scans in 461.5 s: 54.2k scans/s; 7,500 more iterations take 1,384.5 s.
  state.rss_bytes = 6'930'432;
  state.heap_bytes = 1'942'880;
  EXPECT_EQ(progress_line(state),
            "scan_leak: progress 2500/10000 iterations (25.0%), 54.2k scans/s, elapsed 7m42s, ETA 23m05s, "
            "rss 6.9 MB, heap 1.9 MB");
  state.heap_bytes.reset();
  state.iteration = 0;
  state.elapsed_s = 0.25;
  EXPECT_EQ(progress_line(state),
            "scan_leak: progress 0/10000 iterations (0.0%), ? scans/s, elapsed 0.2s, ETA ?, rss 6.9 MB, "
            "heap unavailable");
}

TEST(ProgressClock, FiresOncePerIntervalAndNeverWhenOff) {
  using namespace std::chrono_literals;
  const auto start = ProgressClock::Clock::time_point{};
  ProgressClock clock(true, 10s, start);
  EXPECT_FALSE(clock.due(start + 9s));
  EXPECT_TRUE(clock.due(start + 10s));
  EXPECT_FALSE(clock.due(start + 15s));
  EXPECT_TRUE(clock.due(start + 45s));  // a long iteration: one line, not three
  EXPECT_FALSE(clock.due(start + 49s));
  EXPECT_TRUE(clock.due(start + 50s));
  ProgressClock off(false, 10s, start);
  EXPECT_FALSE(off.due(start + 100s));
  EXPECT_TRUE(progress_enabled(ProgressMode::On));
  EXPECT_FALSE(progress_enabled(ProgressMode::Off));
}

TEST(JudgeSeries, FailsOnlyAboveThresholdWithSignificantGrowth) {
  stats::TheilSenWorkspace workspace;
  BoundedSeries growing(64);
  BoundedSeries flat(64);
  BoundedSeries slow(64);
  for (int i = 0; i < 40; ++i) {
    growing.add(i * 10, 1000 + 32.0 * i * 10);
    flat.add(i * 10, 1000 + (i % 3 == 0 ? 4096 : 0));  // Noise without a trend.
    slow.add(i * 10, 1000 + 2.0 * i * 10);             // Real but below a 4 B/iter threshold.
  }
  const auto grows = judge_series("heap", "bytes", growing, 4, workspace);
  EXPECT_TRUE(grows.fail);
  EXPECT_DOUBLE_EQ(grows.slope, 32);
  EXPECT_EQ(grows.samples, 40u);
  EXPECT_FALSE(judge_series("heap", "bytes", flat, 4, workspace).fail);
  EXPECT_FALSE(judge_series("heap", "bytes", slow, 4, workspace).fail);
  BoundedSeries two(8);
  two.add(0, 0);
  two.add(1, 1e9);
  EXPECT_FALSE(judge_series("heap", "bytes", two, 4, workspace).fail);
}

TEST(MassifHeapBytes, ReadsTheLastSnapshotsHeap) {
  const leak_test::TempDir dir;
  const std::string file = dir.path() + "/massif.000001.out";
  std::ofstream(file)
      << "desc: (none)\ncmd: scan_leak\ntime_unit: i\n#-----------\nsnapshot=0\n#-----------\n"
         "time=0\nmem_heap_B=1000\nmem_heap_extra_B=8\nmem_stacks_B=0\nheap_tree=empty\n"
         "#-----------\nsnapshot=1\n#-----------\ntime=10\nmem_heap_B=123456\n"
         "mem_heap_extra_B=16\nmem_stacks_B=0\nheap_tree=detailed\n";
  EXPECT_EQ(massif_heap_bytes(file), 123456u);
  EXPECT_FALSE(massif_heap_bytes(dir.path() + "/absent.out").has_value());
}

}  // namespace
}  // namespace plumb::harness

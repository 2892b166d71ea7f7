// Which sites grow, from live bytes over time: a leak, a cache that fills and stops, churn, and a
// long trace kept in bounded memory.
#include "plumb/doctor/site_verdict.hpp"

#include <functional>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "plumb/doctor/heaptrack_trace.hpp"
#include "plumb/doctor/site_history.hpp"

namespace plumb::doctor {
namespace {

// A trace of one site per function (function i allocates `size` bytes via allocation info i),
// driven one 10 ms tick at a time by `step`, which feeds the events of that tick.
class Scenario {
 public:
  explicit Scenario(std::vector<std::string> functions) : reader_(forward_), history_(reader_, 100) {
    forward_.target = &history_;
    reader_.feed("v 10400 3");
    reader_.feed("s 4 a.out");
    reader_.feed("s 6 main.c");
    for (std::size_t i = 0; i < functions.size(); ++i) {
      reader_.feed(fmt::format("s {:x} {}", functions[i].size(), functions[i]));
      reader_.feed(fmt::format("i {:x} 1 {:x} 2 {:x}", 0x1000 + i, i + 3, 10 + i));
      reader_.feed(fmt::format("t {:x} 0", i + 1));
      reader_.feed(fmt::format("a 100 {:x}", i + 1));  // 256 bytes from site i
    }
  }

  void allocate(std::size_t site) { reader_.feed(fmt::format("+ {:x}", site)); }
  void free(std::size_t site) { reader_.feed(fmt::format("- {:x}", site)); }

  void run(std::uint64_t ticks, const std::function<void(std::uint64_t)>& step) {
    for (std::uint64_t tick = 0; tick < ticks; ++tick) {
      step(tick);
      reader_.feed(fmt::format("c {:x}", tick * 10));
    }
    history_.finish();
  }

  const SiteHistory& history() const { return history_; }

 private:
  struct Forward : TraceSink {
    TraceSink* target = nullptr;
    void on_time(std::uint64_t ms) override { target->on_time(ms); }
    void on_allocation(std::uint64_t size, std::uint32_t trace) override { target->on_allocation(size, trace); }
    void on_free(std::uint64_t size, std::uint32_t trace) override { target->on_free(size, trace); }
  } forward_;
  TraceReader reader_;
  SiteHistory history_;
};

const SiteVerdict& site(const std::vector<SiteVerdict>& verdicts, const std::string& key) {
  for (const auto& v : verdicts) {
    if (v.key == key) return v;
  }
  throw std::runtime_error("no site " + key);
}

TEST(SiteVerdict, LeakGrowsCacheThatFillsAndStopsIsAPlateauChurnIsChurn) {
  Scenario scenario({"leak", "cache", "churn", "quiet"});
  scenario.run(1000, [&](std::uint64_t tick) {  // 10 s
    scenario.allocate(0);                      // 25.6 KB/s, never freed
    if (tick < 300) {
      scenario.allocate(1);                    // fills 76.8 KB in 3 s, then stops
      scenario.allocate(1);
    }
    scenario.allocate(2);
    scenario.free(2);
    if (tick % 200 == 0) scenario.allocate(3);  // 5 blocks: too little to be anything
  });
  const auto verdicts = judge_sites(scenario.history(), 2.0, SiteThresholds{}, 30000);
  const auto& leak = site(verdicts, "leak@main.c");
  EXPECT_EQ(leak.trend, SiteTrend::Growing);
  EXPECT_NEAR(leak.slope_per_s, 25600, 25600 * 0.02);
  EXPECT_GT(leak.ci_low, 0);
  ASSERT_TRUE(leak.rss_share.has_value());
  EXPECT_NEAR(*leak.rss_share, 25600.0 / 30000, 0.02);
  EXPECT_EQ(leak.at.line, 10);
  EXPECT_EQ(site(verdicts, "cache@main.c").trend, SiteTrend::Plateau);
  EXPECT_EQ(site(verdicts, "churn@main.c").trend, SiteTrend::Churn);
  EXPECT_EQ(verdicts.front().key, "leak@main.c");  // growing first
  for (const auto& v : verdicts) EXPECT_NE(v.key, "quiet@main.c");
}

TEST(SiteVerdict, GrowthThatStopsHalfWayIsNotALeak) {
  Scenario scenario({"warm"});
  scenario.run(1000, [&](std::uint64_t tick) {
    if (tick < 500) scenario.allocate(0);
  });
  const auto verdicts = judge_sites(scenario.history(), 0, SiteThresholds{}, 0);
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_EQ(verdicts[0].trend, SiteTrend::Plateau);
  EXPECT_GT(verdicts[0].slope_per_s, 0);       // The whole window rose...
  EXPECT_LE(verdicts[0].late_ci_low, 0);       // ...its second half did not.
}

TEST(SiteVerdict, SlowGrowthBelowTheThresholdsIsNotFlagged) {
  Scenario scenario({"slow"});
  scenario.run(1000, [&](std::uint64_t tick) {
    if (tick % 50 == 0) scenario.allocate(0);  // 512 B/s: under 1 KiB/s and 64 KiB over 10 s
  });
  const auto verdicts = judge_sites(scenario.history(), 0, SiteThresholds{}, 0);
  for (const auto& v : verdicts) EXPECT_NE(v.trend, SiteTrend::Growing);
}

TEST(SiteVerdict, LongTracesKeepBoundedSamples) {
  Scenario scenario({"leak"});
  scenario.run(200000, [&](std::uint64_t) { scenario.allocate(0); });  // 2000 s at 10 ms
  EXPECT_LE(scenario.history().times().size(), 601u);
  EXPECT_GE(scenario.history().times().size(), 300u);
  EXPECT_EQ(scenario.history().sites().front().live.size(), scenario.history().times().size());
  const auto verdicts = judge_sites(scenario.history(), 0, SiteThresholds{}, 0);
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_EQ(verdicts[0].trend, SiteTrend::Growing);
  EXPECT_NEAR(verdicts[0].slope_per_s, 25600, 256);
}

}  // namespace
}  // namespace plumb::doctor

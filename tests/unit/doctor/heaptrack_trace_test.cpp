// heaptrack's trace read as heaptrack writes it: a real trace (golden) and the format's corners.
#include "plumb/doctor/heaptrack_trace.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "plumb/run/system_runner.hpp"

#include "plumb/core/errors.hpp"
#include "plumb/doctor/site_analysis.hpp"

namespace plumb::doctor {
namespace {

const std::filesystem::path kGolden = PLUMB_DOCTOR_GOLDEN_DIR;

const SiteVerdict* find_site(const SiteAnalysis& analysis, const std::string& key) {
  for (const auto& site : analysis.sites) {
    if (site.key == key) return &site;
  }
  return nullptr;
}

// The number heaptrack printed after "name:" in its own end-of-recording statistics.
std::uint64_t heaptrack_stat(const std::string& name) {
  std::ifstream in(kGolden / "site_mix_leak.heaptrack-stats.txt");
  std::string line;
  while (std::getline(in, line)) {
    const auto at = line.find(name + ":");
    if (at != std::string::npos) return std::stoull(line.substr(at + name.size() + 1));
  }
  throw std::runtime_error("no " + name + " in heaptrack's statistics");
}

TEST(HeaptrackTrace, RealTraceCountsWhatHeaptrackCounted) {
  const auto analysis = analyse_trace(kGolden / "site_mix_leak.zst", SiteOptions{}, *run::make_system_runner());
  EXPECT_TRUE(analysis.complete) << analysis.incomplete_reason;
  EXPECT_EQ(analysis.summary.file_version, 3u);
  EXPECT_EQ(analysis.summary.program, "./site_mix leak");
  EXPECT_EQ(analysis.summary.page_size, 4096u);
  EXPECT_EQ(analysis.summary.allocations, heaptrack_stat("allocations"));
  EXPECT_EQ(analysis.summary.frees, heaptrack_stat("temporary allocations"));
  EXPECT_EQ(analysis.summary.allocations - analysis.summary.frees, heaptrack_stat("leaked allocations"));
  EXPECT_EQ(analysis.summary.bad_lines, 0u);
}

TEST(HeaptrackTrace, RealTraceNamesTheLeakTheCacheAndTheChurn) {
  const auto analysis = analyse_trace(kGolden / "site_mix_leak.zst", SiteOptions{}, *run::make_system_runner());
  ASSERT_FALSE(analysis.sites.empty());
  const auto& first = analysis.sites.front();
  EXPECT_EQ(first.key, "remember@child_site_mix.cpp");
  EXPECT_EQ(first.trend, SiteTrend::Growing);
  EXPECT_EQ(first.at.function, "remember");
  EXPECT_EQ(first.at.line, 25);
  // 256-byte nodes, never freed: the live bytes at the end are 256 per allocation of the site.
  EXPECT_EQ(first.live_end % 256, 0);
  EXPECT_GT(first.slope_per_s, 100 * 1024.0);
  EXPECT_LT(first.ci_low, first.slope_per_s);
  EXPECT_GT(first.ci_high, first.slope_per_s);
  std::size_t growing = 0;
  for (const auto& site : analysis.sites) growing += site.trend == SiteTrend::Growing ? 1 : 0;
  EXPECT_EQ(growing, 1u);
  const auto* cache = find_site(analysis, "cache_put@child_site_mix.cpp");
  ASSERT_NE(cache, nullptr);
  EXPECT_EQ(cache->trend, SiteTrend::Plateau);
  EXPECT_EQ(cache->at.function, "cache_put");
  const auto* churn = find_site(analysis, "churn@child_site_mix.cpp");
  ASSERT_NE(churn, nullptr);
  EXPECT_EQ(churn->trend, SiteTrend::Churn);
  EXPECT_EQ(churn->live_end, 0);
  // The flame graph's bytes are the live bytes at the end, every stack of them.
  std::int64_t live = 0;
  for (const auto& site : analysis.sites) live += site.live_end;
  EXPECT_GE(analysis.live_at_end.total(), static_cast<std::uint64_t>(live));
}

TEST(HeaptrackTrace, CutTraceIsIncompleteAndJudgedOnWhatWasRead) {
  const auto cut = std::filesystem::temp_directory_path() / ("plumb-cut-" + std::to_string(getpid()) + ".zst");
  {
    std::ifstream in(kGolden / "site_mix_leak.zst", std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ofstream out(cut, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size() * 2 / 3));
  }
  const auto analysis = analyse_trace(cut, SiteOptions{}, *run::make_system_runner());
  std::filesystem::remove(cut);
  EXPECT_FALSE(analysis.complete);
  EXPECT_NE(analysis.incomplete_reason.find("could not decompress"), std::string::npos) << analysis.incomplete_reason;
  EXPECT_LT(analysis.summary.allocations, heaptrack_stat("allocations"));
}

class Recorder : public TraceSink {
 public:
  std::vector<std::pair<std::uint64_t, std::uint32_t>> allocations;
  std::vector<std::uint64_t> times;
  void on_time(std::uint64_t ms) override { times.push_back(ms); }
  void on_allocation(std::uint64_t size, std::uint32_t trace) override { allocations.emplace_back(size, trace); }
};

TEST(HeaptrackTrace, SizedStringsInlinedFramesAndFunctionOnlyFrames) {
  Recorder sink;
  TraceReader reader(sink);
  std::istringstream in(
      "v 10400 3\n"
      "s 5 a.out\n"                      // 1
      "s 14 Holder<int, 2>::make\n"      // 2: a sized string with spaces
      "s 5 x.cpp\n"                      // 3
      "s 4 main\n"                       // 4
      "s 6 helper\n"                     // 5
      "i 1000 1 2 3 a 4 3 14\n"          // ip 1: make at x.cpp:10 inlined into main at x.cpp:20
      "i 2000 1 5\n"                     // ip 2: helper, no file
      "t 1 0\n"                          // trace 1: ip 1
      "t 2 1\n"                          // trace 2: ip 2 called from trace 1
      "a 40 2\n"
      "+ 0\n"
      "c 64\n");
  reader.read(in);
  EXPECT_EQ(reader.summary().bad_lines, 0u);
  ASSERT_EQ(sink.allocations.size(), 1u);
  EXPECT_EQ(sink.allocations[0].first, 0x40u);
  EXPECT_EQ(sink.times, std::vector<std::uint64_t>{100});
  const auto stack = reader.stack(sink.allocations[0].second);
  ASSERT_EQ(stack.size(), 3u);
  EXPECT_EQ(stack[0].function, "helper");
  EXPECT_EQ(stack[0].file, "");
  EXPECT_EQ(stack[1].function, "Holder<int, 2>::make");
  EXPECT_EQ(stack[1].file, "x.cpp");
  EXPECT_EQ(stack[1].line, 10);
  EXPECT_EQ(stack[2].function, "main");
  EXPECT_EQ(stack[2].line, 20);
  EXPECT_EQ(stack[2].object, "a.out");
}

TEST(HeaptrackTrace, DamagedLinesAreCountedNeverGuessed) {
  Recorder sink;
  TraceReader reader(sink);
  std::istringstream in("v 10400 3\n+ 5\ns 99 short\nc zz\nQ what\nc 10\nc 5\n");
  reader.read(in);
  EXPECT_EQ(reader.summary().bad_lines, 5u);
  ASSERT_FALSE(reader.summary().problems.empty());
  EXPECT_EQ(reader.summary().problems.front(), "line 2: an allocation event naming no allocation info");
  EXPECT_TRUE(sink.allocations.empty());
}

TEST(HeaptrackTrace, AProgramLineWithLineBreaksIsOneRecord) {
  // What heaptrack wrote attached to `python3 -c "import time\nkeep=[]\n..."`.
  Recorder sink;
  TraceReader reader(sink);
  std::istringstream in("v 10400 3\nX python3 -c \nimport time\nkeep=[]\n    keep.append(1)\nI 1000 5e293b\nA\n");
  reader.read(in);
  EXPECT_EQ(reader.summary().bad_lines, 0u);
  EXPECT_EQ(reader.summary().program, "python3 -c \nimport time\nkeep=[]\n    keep.append(1)");
  EXPECT_EQ(reader.summary().page_size, 4096u);
  EXPECT_TRUE(reader.summary().attached);
  // Away from the X record such a line is unreadable, as before.
  reader.feed("import time");
  EXPECT_EQ(reader.summary().bad_lines, 1u);
}

TEST(HeaptrackTrace, NewerFormatsAndRawTracesAreRefused) {
  Recorder sink;
  TraceReader newer(sink);
  EXPECT_THROW(newer.feed("v 20000 4"), core::UsageError);
  TraceReader raw(sink);
  raw.feed("v 10400 3");
  EXPECT_THROW(raw.feed("m 1 /lib/libc.so.6 0 0"), core::UsageError);
  std::istringstream not_a_trace("hello\nworld\n");
  EXPECT_THROW(analyse_trace(not_a_trace, "notes.txt", SiteOptions{}), core::UsageError);
}

}  // namespace
}  // namespace plumb::doctor

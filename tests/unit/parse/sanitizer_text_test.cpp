// Sanitizer text: several reports per log, cut-off logs, prefixes, frame shapes.
#include <cstdint>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "plumb/parse/sanitizer_text.hpp"
#include "read_golden.hpp"

namespace plumb::parse {
namespace {

using core::FindingKind;
using testing::read_golden;

core::ParseResult asan(const std::string& text) {
  std::istringstream in(text);
  return parse_asan(in);
}

core::ParseResult tsan(const std::string& text) {
  std::istringstream in(text);
  return parse_tsan(in);
}

TEST(SanitizerText, SeveralReportsInOneLog) {
  // halt_on_error=0 (or several processes appending to one log): reports follow each other.
  const auto result =
      asan(read_golden("asan/uaf.log") + read_golden("ubsan/ub.log") + read_golden("asan/leak.log"));
  ASSERT_EQ(result.findings.size(), 6U);
  EXPECT_EQ(result.findings[0].detail, "heap-use-after-free");
  EXPECT_EQ(result.findings[1].kind, FindingKind::Ub);
  EXPECT_EQ(result.findings[4].kind, FindingKind::LeakDefinite);
  EXPECT_EQ(result.findings[5].kind, FindingKind::LeakIndirect);
  EXPECT_TRUE(result.complete);
  EXPECT_TRUE(result.warnings.empty()) << result.warnings.front();
}

TEST(SanitizerText, IdenticalReportsMergeAsTheyStream) {
  // halt_on_error=0 in a loop: the same report again and again is one finding seen N times.
  std::string log;
  for (int i = 0; i < 100; ++i) {
    log += read_golden("asan/uaf.log");
  }
  const auto result = asan(log);
  ASSERT_EQ(result.findings.size(), 1U);
  EXPECT_EQ(result.findings[0].detail, "heap-use-after-free");
  EXPECT_EQ(result.findings[0].occurrences, 100U);

  const std::string race = read_golden("tsan/race.log");
  const std::string report = race.substr(0, race.find("ThreadSanitizer: reported"));
  std::string races;
  for (int i = 0; i < 40; ++i) {
    races += report;
  }
  const auto merged = tsan(races + "ThreadSanitizer: reported 40 warnings\n");
  EXPECT_TRUE(merged.complete) << merged.incomplete_reason;  // the count check still sees 40 reports
  ASSERT_EQ(merged.findings.size(), 1U);
  EXPECT_EQ(merged.findings[0].occurrences, 40U);
}

TEST(SanitizerText, ReportCutBeforeItsSummaryIsIncomplete) {
  const std::string whole = read_golden("asan/uaf.log");
  const auto result = asan(whole.substr(0, whole.find("previously allocated")));
  ASSERT_EQ(result.findings.size(), 1U);
  EXPECT_FALSE(result.complete);
  EXPECT_EQ(result.findings[0].related_stacks.size(), 1U);  // Only the free stack made it.
}

TEST(SanitizerText, LeakReportCutBeforeItsSummaryIsIncomplete) {
  const std::string whole = read_golden("lsan/leak.log");
  std::istringstream in(whole.substr(0, whole.find("SUMMARY")));
  const auto result = parse_lsan(in);
  EXPECT_EQ(result.findings.size(), 2U);
  EXPECT_FALSE(result.complete);
}

std::uint64_t leaked_bytes(const core::ParseResult& result) {
  std::uint64_t bytes = 0;
  for (const auto& finding : result.findings) {
    bytes += finding.bytes;
  }
  return bytes;
}

TEST(SanitizerText, RecoverableLeakChecksKeepOnlyTheLastReport) {
  // Two __lsan_do_recoverable_leak_check reports (93 then 157 bytes) and the final one (593 bytes).
  std::istringstream in(read_golden("lsan/leak_rounds.log"));
  const auto result = parse_lsan(in);
  ASSERT_EQ(result.findings.size(), 4U);
  EXPECT_EQ(leaked_bytes(result), 593U);
  EXPECT_EQ(result.findings[0].bytes, 300U);
  EXPECT_TRUE(result.complete);
}

TEST(SanitizerText, LeakReportsOfTwoProcessesInOneLogAreBothKept) {
  // Each process (==PID== prefix) keeps its own last leak report.
  std::istringstream in(read_golden("lsan/leak.log") + read_golden("lsan/leak_rounds.log"));
  const auto result = parse_lsan(in);
  ASSERT_EQ(result.findings.size(), 6U);
  EXPECT_EQ(leaked_bytes(result), 93U + 593U);
  EXPECT_EQ(result.findings[0].bytes, 16U);  // leak.log's own report, first in the log.
}

TEST(SanitizerText, LeakLogCutKeepsTheLastReportSeen) {
  const std::string whole = read_golden("lsan/leak_rounds.log");
  const auto third = whole.rfind("==ERROR: LeakSanitizer");
  ASSERT_NE(third, std::string::npos);
  // Cut inside the final report, after its first leak: only that leak, and the log is incomplete.
  const auto second_leak = whole.find("Direct leak of", whole.find("Direct leak of", third) + 1);
  std::istringstream cut_inside(whole.substr(0, second_leak));
  const auto inside = parse_lsan(cut_inside);
  ASSERT_EQ(inside.findings.size(), 1U);
  EXPECT_EQ(inside.findings[0].bytes, 300U);
  EXPECT_FALSE(inside.complete);
  // Cut between two reports: the second report (64 + 16 direct, 77 indirect) stands.
  std::istringstream cut_between(whole.substr(0, whole.rfind('\n', third) + 1));
  const auto between = parse_lsan(cut_between);
  EXPECT_EQ(between.findings.size(), 3U);
  EXPECT_EQ(leaked_bytes(between), 157U);
}

TEST(SanitizerText, DeadlySignalWithoutReportIsACrash) {
  const auto result = asan("AddressSanitizer:DEADLYSIGNAL\n");
  ASSERT_EQ(result.findings.size(), 1U);
  EXPECT_EQ(result.findings[0].kind, FindingKind::Crash);
  EXPECT_FALSE(result.complete);
}

TEST(SanitizerText, TsanWarningWithOrWithoutPidPrefix) {
  const std::string plain = read_golden("tsan/race.log");
  std::string prefixed;
  std::istringstream lines(plain);
  for (std::string line; std::getline(lines, line);) {
    prefixed += (line.rfind("WARNING:", 0) == 0 ? "==4242==" : "") + line + "\n";
  }
  for (const auto& text : {plain, prefixed}) {
    const auto result = tsan(text);
    ASSERT_EQ(result.findings.size(), 1U);
    EXPECT_EQ(result.findings[0].kind, FindingKind::Race);
    EXPECT_EQ(result.findings[0].detail, "data race");
    EXPECT_EQ(result.findings[0].tools, std::vector<core::Reporter>{core::Reporter::Tsan});
  }
}

TEST(SanitizerText, TsanWarningCountMismatchIsAWarning) {
  const std::string log = read_golden("tsan/race.log");
  const auto cut = log.find("WARNING: ThreadSanitizer");
  const auto result = tsan(log.substr(0, cut) + log.substr(log.find("ThreadSanitizer: reported")));
  EXPECT_TRUE(result.findings.empty());
  ASSERT_EQ(result.warnings.size(), 1U);
}

TEST(SanitizerText, ProgramOutputBetweenReportsIsIgnored) {
  const auto result = asan("hello\n#not a frame\n" + read_golden("asan/segv.log") + "bye\n");
  ASSERT_EQ(result.findings.size(), 1U);
  EXPECT_EQ(result.findings[0].kind, FindingKind::Crash);
  EXPECT_EQ(result.findings[0].detail, "SEGV");
}

TEST(SanitizerText, FrameShapes) {
  // Frame lines as ASan and TSan print them (taken from real logs).
  const auto result = asan(
      "==1==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x602000000011\n"
      "    #0 0x4f2962 in operator delete[](void*) asan_new_delete.cc:170:3\n"
      "    #1 0x7f0 (/lib/x86_64-linux-gnu/libc.so.6+0x29d90) (BuildId: 1878e6b4)\n"
      "    #2 0x7f334b52eb96 in __libc_start_main (?"
      "?)\n"
      "    #3 0x41aaf9 in _start (a.out+0x41aaf9)\n"
      "    #4 std::vector<int, std::allocator<int> >::push_back(int const&) "
      "/usr/include/c++/12/bits/stl_vector.h:1287 (x+0x12)\n"
      "SUMMARY: AddressSanitizer: heap-buffer-overflow asan_new_delete.cc:170:3 in operator "
      "delete[](void*)\n");
  ASSERT_EQ(result.findings.size(), 1U);
  const auto& frames = result.findings[0].frames;
  ASSERT_EQ(frames.size(), 5U);
  EXPECT_EQ(frames[0], (core::Frame{"operator delete[](void*)", "asan_new_delete.cc", 170, ""}));
  EXPECT_EQ(frames[1], (core::Frame{"", "", 0, "/lib/x86_64-linux-gnu/libc.so.6"}));
  EXPECT_EQ(frames[2], (core::Frame{"__libc_start_main", "", 0, ""}));
  EXPECT_EQ(frames[3], (core::Frame{"_start", "", 0, "a.out"}));
  EXPECT_EQ(frames[4], (core::Frame{"std::vector<int, std::allocator<int> >::push_back(int const&)",
                                    "/usr/include/c++/12/bits/stl_vector.h", 1287, "x"}));
}

TEST(SanitizerText, EmptyLogIsNotRecognisedButComplete) {
  const auto result = asan("");
  EXPECT_FALSE(result.recognised);
  EXPECT_TRUE(result.complete);
  EXPECT_TRUE(result.findings.empty());
}

}  // namespace
}  // namespace plumb::parse

// What each golden log must say, derived from the programs in tests/golden/programs and the
// tools' own summaries, independently of the expected JSON.
#include <cstdint>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "golden_support.hpp"
#include "plumb/analyze/analyze.hpp"
#include "plumb/analyze/fingerprint.hpp"
#include "plumb/analyze/growth.hpp"
#include "plumb/core/frame_origin.hpp"

namespace plumb::golden {
namespace {

using core::FindingKind;

struct Amount {
  std::uint64_t bytes = 0;
  std::uint64_t blocks = 0;
  bool operator==(const Amount&) const = default;
};

std::map<FindingKind, Amount> sums_by_kind(const core::ParseResult& result) {
  std::map<FindingKind, Amount> sums;
  for (const auto& finding : result.findings) {
    sums[finding.kind].bytes += finding.bytes;
    sums[finding.kind].blocks += finding.blocks;
  }
  return sums;
}

std::string read_text(const std::string& relative) {
  std::ifstream in(golden_dir() / relative);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// The number at the start of `text` ("1,024 bytes" gives 1024); std::regex is avoided because
// gcc 12 -O1 with sanitizers warns inside <regex>.
std::uint64_t leading_number(std::string_view text) {
  std::uint64_t value = 0;
  for (const char c : text) {
    if (c == ',') {
      continue;
    }
    if (c < '0' || c > '9') {
      break;
    }
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value;
}

// Every "LEAK SUMMARY" of a memcheck text log, in order: one per leak check the program asked
// for, then the final one at exit.
std::vector<std::map<FindingKind, Amount>> memcheck_leak_summaries(const std::string& relative) {
  const std::string text = read_text(relative);
  std::vector<std::map<FindingKind, Amount>> summaries;
  const std::pair<const char*, FindingKind> rows[] = {{"definitely lost: ", FindingKind::LeakDefinite},
                                                      {"indirectly lost: ", FindingKind::LeakIndirect},
                                                      {"possibly lost: ", FindingKind::LeakPossible},
                                                      {"still reachable: ", FindingKind::LeakReachable}};
  for (auto summary_at = text.find("LEAK SUMMARY:"); summary_at != std::string::npos;
       summary_at = text.find("LEAK SUMMARY:", summary_at + 1)) {
    std::map<FindingKind, Amount> summary;
    for (const auto& [label, kind] : rows) {
      const auto at = text.find(label, summary_at);
      EXPECT_NE(at, std::string::npos) << relative << " has no '" << label << "' row";
      if (at == std::string::npos) {
        continue;
      }
      // "16 bytes in 1 blocks", or "16 (+16) bytes in 1 (+1) blocks" after an added leak check.
      const std::string_view row = std::string_view(text).substr(at + std::strlen(label));
      const auto in = row.find(" in ");
      summary[kind] = {leading_number(row), leading_number(row.substr(in + 4))};
    }
    summaries.push_back(std::move(summary));
  }
  EXPECT_FALSE(summaries.empty()) << relative << " has no LEAK SUMMARY";
  return summaries;
}

// memcheck's final "LEAK SUMMARY" (the check at exit) from the text log of the same run.
std::map<FindingKind, Amount> memcheck_leak_summary(const std::string& relative) {
  auto summaries = memcheck_leak_summaries(relative);
  return summaries.empty() ? std::map<FindingKind, Amount>{} : summaries.back();
}

// The sanitizer's last "SUMMARY: ...: N byte(s) leaked in M allocation(s)." line: the final
// leak check's, when the program also ran recoverable ones.
Amount sanitizer_leak_summary(const std::string& relative) {
  const std::string text = read_text(relative);
  const auto leaked = text.rfind(" byte(s) leaked in ");
  EXPECT_NE(leaked, std::string::npos) << relative;
  if (leaked == std::string::npos) {
    return {};
  }
  const auto number_start = text.rfind(' ', leaked - 1) + 1;
  return {leading_number(std::string_view(text).substr(number_start)),
          leading_number(std::string_view(text).substr(leaked + std::strlen(" byte(s) leaked in ")))};
}

Amount at(const std::map<FindingKind, Amount>& sums, FindingKind kind) {
  const auto it = sums.find(kind);
  return it == sums.end() ? Amount{} : it->second;
}

TEST(CrossTool, MemcheckLeakSumsEqualItsLeakSummary) {
  for (const std::string name : {"leak", "leak-suppressed", "leak_rounds", "scan_leak-leak-per-iter"}) {
    const auto result = parse_golden("memcheck", "memcheck/" + name + ".xml");
    EXPECT_TRUE(result.complete);
    const auto sums = sums_by_kind(result);
    const auto summary = memcheck_leak_summary("memcheck/" + name + ".memcheck.txt");
    for (const auto& [kind, amount] : summary) {
      EXPECT_EQ(at(sums, kind), amount) << name << " " << core::to_string(kind);
    }
  }
}

TEST(CrossTool, LsanAndAsanLeakSumsEqualTheirSummaryAndMemcheck) {
  const auto memcheck = memcheck_leak_summary("memcheck/leak.memcheck.txt");
  for (const std::string tool : {"lsan", "asan"}) {
    const std::string log = tool + "/leak.log";
    const auto result = parse_golden(tool, log);
    const auto sums = sums_by_kind(result);
    const Amount definite = at(sums, FindingKind::LeakDefinite);
    const Amount indirect = at(sums, FindingKind::LeakIndirect);
    const Amount summary = sanitizer_leak_summary(log);
    EXPECT_EQ(definite.bytes + indirect.bytes, summary.bytes) << log;
    EXPECT_EQ(definite.blocks + indirect.blocks, summary.blocks) << log;
    // The same program under memcheck: the same direct and indirect bytes and blocks.
    EXPECT_EQ(definite, memcheck.at(FindingKind::LeakDefinite)) << log;
    EXPECT_EQ(indirect, memcheck.at(FindingKind::LeakIndirect)) << log;
    for (const auto& finding : result.findings) {
      EXPECT_EQ(finding.tools, std::vector<core::Reporter>{core::Reporter::Lsan});
    }
  }
}

// leak_rounds.c runs two leak checks before the final one at exit; only the final one counts.
TEST(CrossTool, RepeatedLeakChecksCountOnlyTheFinalOne) {
  const auto memcheck_summaries = memcheck_leak_summaries("memcheck/leak_rounds.memcheck.txt");
  ASSERT_EQ(memcheck_summaries.size(), 3U);
  const auto& memcheck_final = memcheck_summaries.back();
  EXPECT_EQ(at(memcheck_final, FindingKind::LeakDefinite), (Amount{516, 3}));  // 16 + 200 + 300.
  const auto memcheck = parse_golden("memcheck", "memcheck/leak_rounds.xml");
  EXPECT_TRUE(memcheck.complete);
  EXPECT_TRUE(memcheck.warnings.empty());
  for (const std::string tool : {"lsan", "asan"}) {
    const std::string log = tool + "/leak_rounds.log";
    const std::string text = read_text(log);
    std::size_t reports = 0;
    for (auto at = text.find("ERROR: LeakSanitizer"); at != std::string::npos;
         at = text.find("ERROR: LeakSanitizer", at + 1)) {
      ++reports;
    }
    EXPECT_EQ(reports, 3U) << log;  // Two recoverable checks and the final one.
    const auto result = parse_golden(tool, log);
    EXPECT_TRUE(result.complete) << log;
    EXPECT_TRUE(result.warnings.empty()) << log;
    const auto sums = sums_by_kind(result);
    const Amount summary = sanitizer_leak_summary(log);
    EXPECT_EQ(at(sums, FindingKind::LeakDefinite).bytes + at(sums, FindingKind::LeakIndirect).bytes,
              summary.bytes)
        << log;
    EXPECT_EQ(at(sums, FindingKind::LeakDefinite).blocks + at(sums, FindingKind::LeakIndirect).blocks,
              summary.blocks)
        << log;
    // The final checks of both tools agree on what is lost.
    EXPECT_EQ(at(sums, FindingKind::LeakDefinite), at(memcheck_final, FindingKind::LeakDefinite)) << log;
    EXPECT_EQ(at(sums, FindingKind::LeakIndirect), at(memcheck_final, FindingKind::LeakIndirect)) << log;
  }
  // The 64-byte block looked lost at the intermediate checks and was freed before exit.
  for (const std::string tool : {"memcheck", "lsan", "asan"}) {
    const auto result =
        parse_golden(tool, tool == "memcheck" ? "memcheck/leak_rounds.xml" : tool + "/leak_rounds.log");
    for (const auto& finding : result.findings) {
      EXPECT_NE(finding.bytes, 64U) << tool << ": " << finding.message;
    }
  }
}

// A memcheck log cut off before its final leak check keeps the last check it holds: cut at the
// start of round k+1, the findings sum to round k's own LEAK SUMMARY.
TEST(CrossTool, MemcheckLogCutBetweenLeakChecksKeepsTheLastCheckSeen) {
  const auto summaries = memcheck_leak_summaries("memcheck/leak_rounds.memcheck.txt");
  ASSERT_EQ(summaries.size(), 3U);
  const std::string xml = read_text("memcheck/leak_rounds.xml");
  // Round starts: a loss record whose "loss record X of N" does not follow the previous one.
  std::vector<std::size_t> round_starts;
  std::uint64_t previous_index = 0;
  for (auto error = xml.find("<error>"); error != std::string::npos; error = xml.find("<error>", error + 1)) {
    const auto text = xml.find("in loss record ", error);
    if (text == std::string::npos) {
      break;
    }
    const std::uint64_t index = leading_number(std::string_view(xml).substr(text + 15));
    if (index <= previous_index) {
      round_starts.push_back(error);
    }
    previous_index = index;
  }
  ASSERT_EQ(round_starts.size(), 2U);  // Rounds 2 and 3 (round 1 starts the log's leak records).
  for (std::size_t round = 0; round < round_starts.size(); ++round) {
    std::istringstream in(xml.substr(0, round_starts[round]));
    const auto result = parse::parse_log(core::LogFormat::Memcheck, in);
    EXPECT_FALSE(result.complete);
    const auto sums = sums_by_kind(result);
    for (const auto& [kind, amount] : summaries[round]) {
      EXPECT_EQ(at(sums, kind), amount) << "cut before round " << round + 2 << " " << core::to_string(kind);
    }
  }
}

// The real harness (scan_leak --inject leak-per-iter=64) asks for a leak check at every sample:
// memcheck's added checks and LSan's recoverable ones, then each tool's final check at exit.
TEST(CrossTool, HarnessLeakChecksCountOnlyTheFinalOne) {
  const std::string name = "scan_leak-leak-per-iter";
  const auto summaries = memcheck_leak_summaries("memcheck/" + name + ".memcheck.txt");
  ASSERT_GT(summaries.size(), 2U);
  const auto memcheck = parse_golden("memcheck", "memcheck/" + name + ".xml");
  const auto memcheck_sums = sums_by_kind(memcheck);
  EXPECT_EQ(at(memcheck_sums, FindingKind::LeakDefinite), at(summaries.back(), FindingKind::LeakDefinite));
  EXPECT_EQ(at(memcheck_sums, FindingKind::LeakDefinite).bytes % 64, 0U);

  const auto asan = parse_golden("asan", "asan/" + name + ".log");
  const auto asan_sums = sums_by_kind(asan);
  const Amount summary = sanitizer_leak_summary("asan/" + name + ".log");
  EXPECT_EQ(at(asan_sums, FindingKind::LeakDefinite).bytes + at(asan_sums, FindingKind::LeakIndirect).bytes,
            summary.bytes);
  EXPECT_EQ(at(asan_sums, FindingKind::LeakDefinite).blocks + at(asan_sums, FindingKind::LeakIndirect).blocks,
            summary.blocks);
  EXPECT_EQ(at(asan_sums, FindingKind::LeakDefinite), at(memcheck_sums, FindingKind::LeakDefinite));
  ASSERT_EQ(asan.findings.size(), 1U);
  EXPECT_EQ(asan.findings[0].frames.at(1).function,
            "plumb::harness::plant_per_iteration_leak(unsigned long)");

  // Cut before FINISHED: the last added check printed only the record that grew, numbered so that
  // it seems to follow the previous check's record; its allocation stack tells the two apart.
  const std::string xml = read_text("memcheck/" + name + ".xml");
  std::istringstream cut(xml.substr(0, xml.find("<state>FINISHED")));
  const auto before_exit = parse::parse_log(core::LogFormat::Memcheck, cut);
  EXPECT_FALSE(before_exit.complete);
  EXPECT_EQ(at(sums_by_kind(before_exit), FindingKind::LeakDefinite),
            at(summaries[summaries.size() - 2], FindingKind::LeakDefinite));
}

// The same planted leak, seen by memcheck (which names the internal-linkage caller
// "plumb::harness::(anonymous namespace)::inject_defect") and by gcc's LSan (which names it
// "inject_defect"), is one fingerprint, so the report lists it once with both tools.
TEST(CrossTool, HarnessLeakFromMemcheckAndLsanIsOneFingerprint) {
  const std::string name = "scan_leak-leak-per-iter";
  const auto memcheck = parse_golden("memcheck", "memcheck/" + name + ".xml");
  const auto asan = parse_golden("asan", "asan/" + name + ".log");
  auto definite = [](const core::ParseResult& result) {
    std::vector<core::Finding> found;
    for (const auto& finding : result.findings) {
      if (finding.kind == FindingKind::LeakDefinite) {
        found.push_back(finding);
      }
    }
    return found;
  };
  const auto from_memcheck = definite(memcheck);
  const auto from_lsan = definite(asan);
  ASSERT_EQ(from_memcheck.size(), 1U);
  ASSERT_EQ(from_lsan.size(), 1U);
  EXPECT_EQ(analyze::fingerprint(from_memcheck[0]), analyze::fingerprint(from_lsan[0]));
}

TEST(CrossTool, MemcheckSuppressionCountsComeThrough) {
  const auto result = parse_golden("memcheck", "memcheck/leak-suppressed.xml");
  ASSERT_EQ(result.tool_suppressions.size(), 1U);
  EXPECT_EQ(result.tool_suppressions[0].name, "golden-indirect-payload");
  EXPECT_EQ(result.tool_suppressions[0].count, 1U);
  EXPECT_EQ(at(sums_by_kind(result), FindingKind::LeakIndirect), Amount{});
}

TEST(GoldenMeaning, UseAfterFreeHasAccessFreeAndAllocationStacks) {
  const auto memcheck = parse_golden("memcheck", "memcheck/uaf.xml");
  ASSERT_EQ(memcheck.findings.size(), 1U);
  const auto& invalid_read = memcheck.findings[0];
  EXPECT_EQ(invalid_read.kind, FindingKind::MemoryError);
  EXPECT_EQ(invalid_read.detail, "InvalidRead");
  EXPECT_EQ(invalid_read.frames.at(0).function, "read_after_free");
  EXPECT_EQ(invalid_read.frames.at(0).line, 13);
  ASSERT_EQ(invalid_read.related_stacks.size(), 2U);
  EXPECT_EQ(invalid_read.related_stacks[0].at(0).function, "free");
  EXPECT_EQ(invalid_read.related_stacks[1].at(0).function, "malloc");

  for (const std::string log : {"asan/uaf.log", "asan/uaf-clang.log"}) {
    const auto asan = parse_golden("asan", log);
    ASSERT_EQ(asan.findings.size(), 1U) << log;
    const auto& finding = asan.findings[0];
    EXPECT_EQ(finding.kind, FindingKind::MemoryError) << log;
    EXPECT_EQ(finding.detail, "heap-use-after-free") << log;
    EXPECT_EQ(finding.frames.at(0).function, "read_after_free") << log;
    EXPECT_EQ(finding.frames.at(0).line, 13) << log;
    ASSERT_EQ(finding.related_stacks.size(), 2U) << log;
    EXPECT_EQ(finding.related_stacks[0].at(1).function, "read_after_free") << log;
    EXPECT_EQ(finding.related_stacks[1].at(1).function, "make_numbers") << log;
  }
}

TEST(GoldenMeaning, UninitialisedReadAndMismatchedFree) {
  const auto uninit = parse_golden("memcheck", "memcheck/uninit.xml");
  ASSERT_EQ(uninit.findings.size(), 1U);
  EXPECT_EQ(uninit.findings[0].detail, "UninitCondition");
  EXPECT_EQ(uninit.findings[0].frames.at(0).function, "decide");
  ASSERT_EQ(uninit.findings[0].related_stacks.size(), 1U);  // --track-origins: the allocation.
  EXPECT_EQ(uninit.findings[0].related_stacks[0].at(0).function, "malloc");

  const auto mismatch = parse_golden("memcheck", "memcheck/mismatch.xml");
  ASSERT_EQ(mismatch.findings.size(), 1U);
  EXPECT_EQ(mismatch.findings[0].detail, "MismatchedFree");
  EXPECT_EQ(mismatch.findings[0].frames.at(1).function, "release(int*)");
  const auto asan = parse_golden("asan", "asan/mismatch.log");
  ASSERT_EQ(asan.findings.size(), 1U);
  EXPECT_EQ(asan.findings[0].detail, "alloc-dealloc-mismatch");
  EXPECT_EQ(asan.findings[0].frames.at(1).function, "release");
}

TEST(GoldenMeaning, SegfaultIsACrashUnderEveryTool) {
  const std::pair<const char*, const char*> logs[] = {
      {"memcheck", "memcheck/segv.xml"}, {"asan", "asan/segv.log"}, {"tsan", "tsan/segv.log"}};
  for (const auto& [tool, log] : logs) {
    const auto result = parse_golden(tool, log);
    // memcheck also reports the invalid write itself before the signal kills the program.
    std::vector<const core::Finding*> crashes;
    for (const auto& finding : result.findings) {
      if (finding.kind == FindingKind::Crash) {
        crashes.push_back(&finding);
      } else {
        EXPECT_EQ(finding.detail, "InvalidWrite") << log;
      }
    }
    ASSERT_EQ(crashes.size(), 1U) << log;
    EXPECT_EQ(crashes[0]->frames.at(0).function, "store") << log;
    EXPECT_TRUE(result.complete) << log;
  }
}

TEST(GoldenMeaning, OpenFileDescriptorsAreFdLeaks) {
  const auto result = parse_golden("memcheck", "memcheck/fdleak.xml");
  // fdleak.c leaves /dev/null and both ends of a pipe open.
  ASSERT_EQ(result.findings.size(), 3U);
  int opened_by_open_config = 0;
  for (const auto& finding : result.findings) {
    EXPECT_EQ(finding.kind, FindingKind::FdLeak);
    for (const auto& frame : finding.frames) {
      opened_by_open_config += frame.function == "open_config" ? 1 : 0;
    }
  }
  EXPECT_EQ(opened_by_open_config, 1);
}

TEST(GoldenMeaning, TsanReportsWithoutPidPrefix) {
  for (const std::string log : {"tsan/race.log", "tsan/race-clang.log"}) {
    const auto race = parse_golden("tsan", log);
    ASSERT_EQ(race.findings.size(), 1U) << log;
    EXPECT_EQ(race.findings[0].kind, FindingKind::Race);
    EXPECT_EQ(race.findings[0].frames.at(0).function, "bump");
    // The previous access and the creation stacks of both threads.
    EXPECT_EQ(race.findings[0].related_stacks.size(), 3U) << log;
    EXPECT_TRUE(race.warnings.empty()) << log;
  }
  const auto leak = parse_golden("tsan", "tsan/thread_leak.log");
  ASSERT_EQ(leak.findings.size(), 1U);
  EXPECT_EQ(leak.findings[0].kind, FindingKind::ThreadLeak);
  EXPECT_EQ(leak.findings[0].blocks, 4U);  // start_workers(4): one shown, "And 3 more".
  EXPECT_EQ(leak.findings[0].frames.at(1).function, "start_workers");

  const auto deadlock = parse_golden("tsan", "tsan/deadlock.log");
  ASSERT_EQ(deadlock.findings.size(), 1U);
  EXPECT_EQ(deadlock.findings[0].kind, FindingKind::Deadlock);
  EXPECT_EQ(deadlock.findings[0].frames.at(1).function, "lock_first_then_second");
  ASSERT_EQ(deadlock.findings[0].related_stacks.size(), 1U);
  EXPECT_EQ(deadlock.findings[0].related_stacks[0].at(1).function, "lock_second_then_first");
}

TEST(GoldenMeaning, UbsanWithAndWithoutStacks) {
  for (const std::string log : {"ubsan/ub.log", "ubsan/ub-nostack.log"}) {
    const auto result = parse_golden("ubsan", log);
    ASSERT_EQ(result.findings.size(), 3U) << log;
    const char* checks[] = {"signed-integer-overflow", "shift-exponent", "alignment"};
    const int lines[] = {5, 6, 16};
    for (std::size_t i = 0; i < 3; ++i) {
      EXPECT_EQ(result.findings[i].kind, FindingKind::Ub);
      EXPECT_EQ(result.findings[i].detail, checks[i]) << log;
      EXPECT_EQ(result.findings[i].frames.at(0).line, lines[i]) << log;
      EXPECT_EQ(result.findings[i].frames.at(0).file, "tests/golden/programs/ub.c") << log;
    }
  }
}

TEST(GoldenMeaning, MassifFindsTheGrowingCacheNotTheScratchBuffer) {
  const auto result = parse_golden("massif", "massif/grow.massif.out");
  EXPECT_TRUE(result.complete);
  ASSERT_FALSE(result.growth.empty());
  const auto& heap = result.growth[0];
  EXPECT_EQ(heap.metric, "massif_heap");
  ASSERT_FALSE(heap.sites.empty());
  EXPECT_EQ(heap.sites[0].function, "remember");
  EXPECT_EQ(heap.sites[0].line, 10);
  for (const auto& site : heap.sites) {
    EXPECT_NE(site.function, "scratch");
  }
}

TEST(GoldenMeaning, HarnessSamplesCarryTheHarnessVerdicts) {
  // The parser returns the series and the harness's verdicts; analysis alone makes a failing series
  // a finding (analyze::growth_finding), of its metric's kind.
  const auto failing_kinds = [](const core::ParseResult& result) {
    std::vector<std::pair<std::string, FindingKind>> kinds;
    for (const auto& series : result.growth) {
      if (series.verdict == core::GrowthVerdict::Fail) {
        kinds.emplace_back(series.metric, analyze::growth_finding(series, core::Reporter::Samples).kind);
      }
    }
    return kinds;
  };
  using Failing = std::vector<std::pair<std::string, FindingKind>>;
  const auto failing = parse_golden("samples", "samples/heap-and-fd-growth.jsonl");
  EXPECT_TRUE(failing.complete);
  EXPECT_TRUE(failing.findings.empty());
  EXPECT_EQ(failing_kinds(failing), (Failing{{"heap", FindingKind::HeapGrowth}, {"fds", FindingKind::FdLeak}}));
  ASSERT_EQ(failing.growth.size(), 5U);
  EXPECT_EQ(failing.growth[1].metric, "heap");
  EXPECT_EQ(failing.growth[1].samples.size(), 11U);
  EXPECT_EQ(failing.growth[1].verdict, core::GrowthVerdict::Fail);

  const auto clean = parse_golden("samples", "samples/clean.jsonl");
  EXPECT_TRUE(clean.findings.empty());
  EXPECT_TRUE(clean.complete);

  // Real scan_leak output: --inject leak-per-iter=256 fails the heap series only.
  const auto real = parse_golden("samples", "samples/scan_leak-leak-per-iter.jsonl");
  EXPECT_TRUE(real.complete);
  EXPECT_EQ(failing_kinds(real), (Failing{{"heap", FindingKind::HeapGrowth}}));
  ASSERT_EQ(real.growth.size(), 5U);
  EXPECT_GE(real.growth[1].slope_per_iteration, 256.0);
  EXPECT_EQ(real.growth[1].samples.size(), 201U);  // iterations 0..400, every 2nd.
  const auto real_clean = parse_golden("samples", "samples/scan_leak-clean.jsonl");
  EXPECT_TRUE(failing_kinds(real_clean).empty());
  // One thread left unjoined per iteration: threads grow (a thread leak), and the memory they hold.
  const auto threads = parse_golden("samples", "samples/scan_leak-thread-unjoined.jsonl");
  EXPECT_EQ(failing_kinds(threads), (Failing{{"rss", FindingKind::HeapGrowth},
                                             {"heap", FindingKind::HeapGrowth},
                                             {"threads", FindingKind::ThreadLeak}}));
  EXPECT_TRUE(real_clean.warnings.empty());

  const auto killed = parse_golden("samples", "samples/killed.jsonl");
  EXPECT_FALSE(killed.complete);
  ASSERT_FALSE(killed.warnings.empty());
  EXPECT_NE(killed.warnings[0].find("line 5"), std::string::npos) << killed.warnings[0];
  for (const auto& series : killed.growth) {
    EXPECT_NE(series.metric, "heap");  // Every heap value was null.
  }
}

}  // namespace
}  // namespace plumb::golden

namespace plumb::golden {
namespace {

// fingerprint → site of the findings of one kind.
std::map<std::string, std::string> sites_of(const core::Report& report, FindingKind kind) {
  std::map<std::string, std::string> sites;
  for (const auto& finding : report.findings) {
    if (finding.kind == kind) {
      EXPECT_TRUE(sites.emplace(finding.fingerprint, finding.site).second)
          << "two findings share " << finding.fingerprint;
    }
  }
  return sites;
}

// tests/golden/programs/cxx_sites.cpp: eight sites, each one leak.definite with one fingerprint
// under memcheck (gcc and clang builds) and gcc's and clang's ASan.
TEST(Identity, EveryCxxLeakSiteIsOneFindingWithOneFingerprintUnderEveryToolAndCompiler) {
  const std::map<std::string, std::size_t> expected_sites = {
      {"checked_alloc@cxx_sites.cpp", 2},  // The wrapper, from open_session and from open_channel.
      {"grow_numbers@cxx_sites.cpp", 1},  {"grow_more_numbers@cxx_sites.cpp", 1},
      {"make_label@cxx_sites.cpp", 1},    {"make_cycle@cxx_sites.cpp", 1},
      {"make@cxx_sites.cpp", 1},                 // (anonymous namespace)::Holder<double, 5>::make
      {"operator()@cxx_sites.cpp", 1}};          // The lambda.
  std::map<std::string, std::string> reference;  // memcheck-gcc's definite leaks.
  for (const std::string compiler : {"gcc", "clang"}) {
    const std::string log = "memcheck/cxx_sites-" + compiler + ".xml";
    const auto report = analysed("memcheck", log);
    const auto definite = sites_of(report, FindingKind::LeakDefinite);
    std::map<std::string, std::size_t> per_site;
    for (const auto& [fingerprint, site] : definite) {
      ++per_site[site];
    }
    EXPECT_EQ(per_site, expected_sites) << log;
    // The vector and string buffers are indirect leaks of their own site, never of another's. A
    // buffer allocated by a later call of the same allocator in that function (push_back below the
    // `new`, the second make_shared) is that function's second call: its own identity, "#2".
    const auto indirect = sites_of(report, FindingKind::LeakIndirect);
    std::map<std::string, std::size_t> indirect_sites;
    for (const auto& [fingerprint, site] : indirect) {
      ++indirect_sites[site];
    }
    EXPECT_EQ(indirect_sites, (std::map<std::string, std::size_t>{{"grow_numbers@cxx_sites.cpp#2", 1},
                                                                  {"grow_more_numbers@cxx_sites.cpp#2", 1},
                                                                  {"make_label@cxx_sites.cpp", 1},
                                                                  {"make_cycle@cxx_sites.cpp#2", 1}}))
        << log;
    // Per kind, the sums are memcheck's own LEAK SUMMARY.
    const auto sums = sums_by_kind(parse_golden("memcheck", log));
    for (const auto& [kind, amount] :
         memcheck_leak_summary("memcheck/cxx_sites-" + compiler + ".memcheck.txt")) {
      EXPECT_EQ(at(sums, kind), amount) << log << " " << core::to_string(kind);
    }
    if (reference.empty()) {
      reference = definite;
    } else {
      EXPECT_EQ(definite, reference) << log << ": gcc and clang builds must give the same fingerprints";
    }
  }
  for (const std::string compiler : {"gcc", "clang"}) {
    const std::string log = "asan/cxx_sites-" + compiler + ".log";
    const auto report = analysed("asan", log);
    // LSan calls both blocks of the shared_ptr cycle indirect (nothing outside points at either);
    // every other site is the same definite leak, with memcheck's fingerprint.
    auto expected = reference;
    std::erase_if(expected, [](const auto& entry) { return entry.second == "make_cycle@cxx_sites.cpp"; });
    EXPECT_EQ(sites_of(report, FindingKind::LeakDefinite), expected) << log;
    const auto summary = sanitizer_leak_summary(log);
    const auto sums = sums_by_kind(parse_golden("asan", log));
    EXPECT_EQ(at(sums, FindingKind::LeakDefinite).bytes + at(sums, FindingKind::LeakIndirect).bytes,
              summary.bytes)
        << log;
  }
}

TEST(Identity, ARecursiveUseAfterFreeIsOneFindingFromEveryCallerUnderBothTools) {
  const auto memcheck = analysed("memcheck", "memcheck/recursion.xml");
  const auto asan = analysed("asan", "asan/recursion.log");
  // memcheck reports the read at every depth and from both callers; ASan stops at the first.
  EXPECT_GT(parse_golden("memcheck", "memcheck/recursion.xml").findings.size(), 2U);
  const auto from_memcheck = sites_of(memcheck, FindingKind::MemoryError);
  const auto from_asan = sites_of(asan, FindingKind::MemoryError);
  ASSERT_EQ(from_memcheck.size(), 1U);
  EXPECT_EQ(from_memcheck.begin()->second, "free_list@recursion.c");
  EXPECT_EQ(from_asan, from_memcheck);
}

TEST(Identity, UbsanReportsWithoutAStackAreToldApartByCheckAndLocation) {
  const auto report = analysed("ubsan", "ubsan/ub-nostack.log");
  const auto sites = sites_of(report, FindingKind::Ub);
  EXPECT_EQ(sites.size(), 3U);  // ub.c: an overflow in add, a shift in shift, a misaligned load in main.
  std::set<std::string> distinct;
  for (const auto& [fingerprint, site] : sites) {
    distinct.insert(site);
  }
  EXPECT_EQ(distinct, (std::set<std::string>{"ub.c:5", "ub.c:6", "ub.c:16"}));
}

}  // namespace
}  // namespace plumb::golden

namespace plumb::golden {
namespace {

// tests/golden/programs/registry.cpp: the registry grows through std::vector and std::string;
// the growing site is the user function that grows it, never the library's internals.
TEST(Identity, MassifNamesTheUserFunctionThatGrowsNotTheLibrary) {
  const auto result = parse_golden("massif", "massif/registry.massif.out");
  ASSERT_FALSE(result.growth.empty());
  const auto& sites = result.growth.front().sites;
  bool remember = false;
  for (const auto& site : sites) {
    EXPECT_FALSE(core::is_library_frame(core::Frame{site.function, site.file, site.line, ""}))
        << site.function << " (" << site.file << ") is library code";
    remember = remember || site.function == "remember(int)";
  }
  EXPECT_TRUE(remember) << "the growing registry is not attributed to remember()";
}

}  // namespace
}  // namespace plumb::golden

namespace plumb::golden {
namespace {

// tests/golden/programs/repeated.c: memcheck prints the error once and counts it 25 times.
TEST(Identity, AMemoryErrorCarriesTheToolsOwnCount) {
  const auto result = parse_golden("memcheck", "memcheck/repeated.xml");
  ASSERT_EQ(result.findings.size(), 1U);
  EXPECT_EQ(result.findings[0].occurrences, 25U);
  const std::string text = read_text("memcheck/repeated.memcheck.txt");
  EXPECT_NE(text.find("ERROR SUMMARY: 25 errors from 1 contexts"), std::string::npos)
      << "memcheck's own summary changed";
}

}  // namespace
}  // namespace plumb::golden

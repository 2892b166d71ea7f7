// memcheck XML: a log cut off mid-run, a log that is not XML, the streaming sink.
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "plumb/parse/memcheck_xml.hpp"
#include "read_golden.hpp"

namespace plumb::parse {
namespace {

using core::FindingKind;
using testing::read_golden;

core::ParseResult parse_text(const std::string& text) {
  std::istringstream in(text);
  return parse_memcheck(in);
}

TEST(MemcheckXml, TruncatedLogKeepsTheFindingsBeforeTheCut) {
  const std::string whole = read_golden("memcheck/leak.xml");
  // Cut inside the third loss record (the definite leak), as a SIGKILL mid-write would.
  const auto cut = whole.find("definitely lost");
  ASSERT_NE(cut, std::string::npos);
  const auto result = parse_text(whole.substr(0, cut));
  EXPECT_TRUE(result.recognised);
  EXPECT_FALSE(result.complete);
  ASSERT_EQ(result.findings.size(), 2U);
  EXPECT_EQ(result.findings[0].kind, FindingKind::LeakReachable);
  EXPECT_EQ(result.findings[1].kind, FindingKind::LeakIndirect);
  EXPECT_EQ(result.findings[1].bytes, 77U);
  ASSERT_FALSE(result.warnings.empty());
  EXPECT_NE(result.warnings.back().find("cut off"), std::string::npos) << result.warnings.back();
}

TEST(MemcheckXml, EveryCutOfARealLogIsIncompleteAndNeverThrows) {
  const std::string whole = read_golden("memcheck/uaf.xml");
  const auto closing = whole.rfind("</valgrindoutput>");
  ASSERT_NE(closing, std::string::npos);
  for (std::size_t length = 0; length < closing; length += 97) {
    const auto result = parse_text(whole.substr(0, length));
    EXPECT_FALSE(result.complete) << "cut at " << length;
    EXPECT_LE(result.findings.size(), 1U);
  }
  EXPECT_TRUE(parse_text(whole).complete);
}

TEST(MemcheckXml, CutAfterTheErrorStillHasIt) {
  const std::string whole = read_golden("memcheck/uaf.xml");
  const auto after_error = whole.find("</error>") + 8;
  const auto result = parse_text(whole.substr(0, after_error));
  EXPECT_FALSE(result.complete);
  ASSERT_EQ(result.findings.size(), 1U);
  EXPECT_EQ(result.findings[0].detail, "InvalidRead");
}

TEST(MemcheckXml, TextThatIsNotXmlIsNotRecognised) {
  const auto result = parse_text(read_golden("memcheck/leak.memcheck.txt"));
  EXPECT_FALSE(result.recognised);
  EXPECT_FALSE(result.complete);
  EXPECT_TRUE(result.findings.empty());
  EXPECT_FALSE(result.warnings.empty());
}

TEST(MemcheckXml, EmptyInputIsIncomplete) {
  const auto result = parse_text("");
  EXPECT_FALSE(result.recognised);
  EXPECT_FALSE(result.complete);
}

TEST(MemcheckXml, StreamingHandsOverEachFindingAndKeepsNone) {
  std::istringstream in(read_golden("memcheck/leak.xml"));
  std::vector<std::string> details;
  const auto result =
      stream_memcheck_xml(in, [&details](core::Finding&& finding) { details.push_back(finding.detail); });
  EXPECT_TRUE(result.findings.empty());
  EXPECT_TRUE(result.complete);
  EXPECT_EQ(details,
            (std::vector<std::string>{"Leak_StillReachable", "Leak_IndirectlyLost", "Leak_DefinitelyLost"}));
}

// The loss record numbers of a result's leaks: one leak check's, so strictly increasing.
bool one_leak_check(const core::ParseResult& result) {
  std::uint64_t previous = 0;
  for (const auto& finding : result.findings) {
    const auto at = finding.message.find("loss record ");
    if (at == std::string::npos) {
      continue;
    }
    const auto index = std::stoull(finding.message.substr(at + 12));
    if (index <= previous) {
      return false;
    }
    previous = index;
  }
  return true;
}

TEST(MemcheckXml, RepeatedLeakChecksKeepOnlyTheFinalOne) {
  // Two leak checks asked for by the program, then the final one at exit (after FINISHED).
  std::istringstream in(read_golden("memcheck/leak_rounds.xml"));
  std::vector<std::string> messages;
  const auto result =
      stream_memcheck_xml(in, [&messages](core::Finding&& finding) { messages.push_back(finding.message); });
  EXPECT_TRUE(result.complete);
  ASSERT_EQ(messages.size(), 5U);
  EXPECT_NE(messages.front().find("loss record 3 of 7"), std::string::npos) << messages.front();
  EXPECT_NE(messages.back().find("300 bytes"), std::string::npos) << messages.back();
}

TEST(MemcheckXml, EveryCutOfARepeatedLeakCheckLogHoldsOneLeakCheck) {
  const std::string whole = read_golden("memcheck/leak_rounds.xml");
  for (std::size_t length = 0; length < whole.size(); length += 97) {
    const auto result = parse_text(whole.substr(0, length));
    EXPECT_FALSE(result.complete) << "cut at " << length;
    EXPECT_TRUE(one_leak_check(result)) << "cut at " << length;
  }
}

TEST(MemcheckXml, ALeakCheckAfterAnotherErrorIsANewRound) {
  // Two leak checks printed back to back whose record numbers happen to follow each other are
  // told apart by the error between them.
  const std::string leak = read_golden("memcheck/leak.xml");
  const std::string uaf = read_golden("memcheck/uaf.xml");
  const auto records = [](const std::string& log) {
    return log.substr(log.find("<error>"), log.find("<errorcounts>") - log.find("<error>"));
  };
  // uaf.xml's <errorcounts> counts its invalid read, so the spliced log agrees with itself.
  const std::string spliced = leak.substr(0, leak.find("<error>")) + records(leak) + records(uaf) +
                              records(leak) + uaf.substr(uaf.find("<errorcounts>"));
  const auto result = parse_text(spliced);
  EXPECT_TRUE(result.complete);
  ASSERT_EQ(result.findings.size(), 4U);  // The invalid read, then the last leak check's 3 records.
  EXPECT_EQ(result.findings[0].detail, "InvalidRead");
}

TEST(MemcheckXml, LeakBytesAreDirectBytes) {
  const auto result = parse_text(read_golden("memcheck/leak.xml"));
  ASSERT_EQ(result.findings.size(), 3U);
  const auto& definite = result.findings[2];
  EXPECT_EQ(definite.kind, FindingKind::LeakDefinite);
  // "93 (16 direct, 77 indirect) bytes in 1 blocks are definitely lost"
  EXPECT_EQ(definite.bytes, 16U);
  EXPECT_EQ(definite.blocks, 1U);
  EXPECT_EQ(definite.frames.at(0).function, "malloc");  // Allocator frames are kept for analysis.
  EXPECT_EQ(definite.frames.at(1).function, "make_node");
  EXPECT_EQ(definite.frames.at(1).file, "./tests/golden/programs/leak.c");
  EXPECT_EQ(definite.frames.at(1).line, 13);
  EXPECT_EQ(definite.frames.at(1).object, "build/golden/leak");
}

TEST(MemcheckXml, TwoRunsInOneFileReportJunkAfterTheFirst) {
  const std::string once = read_golden("memcheck/uaf.xml");
  const auto result = parse_text(once + once);
  EXPECT_TRUE(result.complete);  // The first document closed.
  EXPECT_EQ(result.findings.size(), 1U);
  EXPECT_FALSE(result.warnings.empty());
}

// The real use-after-free record repeated `copies` times with distinct unique ids, each counted
// `count` times in <errorcounts>, as a very long run of one defect would look.
std::string repeated_uaf(int copies, int count) {
  const std::string log = read_golden("memcheck/uaf.xml");
  const std::size_t begin = log.find("<error>");
  const std::size_t end = log.find("</error>") + std::string("</error>\n").size();
  const std::string record = log.substr(begin, end - begin);
  std::string records;
  std::string pairs;
  for (int i = 0; i < copies; ++i) {
    std::string copy = record;
    const std::string unique = "<unique>0x" + std::to_string(100 + i) + "</unique>";
    copy.replace(copy.find("<unique>"), copy.find("</unique>") + 9 - copy.find("<unique>"), unique);
    records += copy;
    pairs += "  <pair>\n    <count>" + std::to_string(count) + "</count>\n    " + unique + "\n  </pair>\n";
  }
  std::string text = log.substr(0, begin) + records + log.substr(end);
  const std::size_t counts = text.find("<errorcounts>") + std::string("<errorcounts>\n").size();
  text.replace(counts, text.find("</errorcounts>") - counts, pairs);
  return text;
}

TEST(MemcheckXml, IdenticalErrorRecordsMergeAsTheyStreamAndTheirCountsAddUp) {
  const auto result = parse_text(repeated_uaf(50, 3));
  EXPECT_TRUE(result.complete) << result.incomplete_reason;
  ASSERT_EQ(result.findings.size(), 1U);
  EXPECT_EQ(result.findings[0].kind, FindingKind::MemoryError);
  EXPECT_EQ(result.findings[0].occurrences, 150U);  // 50 records, each counted 3 times by memcheck
}

}  // namespace
}  // namespace plumb::parse

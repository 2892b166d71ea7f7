#include "plumb/analyze/dedup.hpp"

#include <gtest/gtest.h>

namespace plumb::analyze {
namespace {

using core::FindingKind;
using core::FindingStatus;

core::Finding leak(std::string fingerprint, std::string tool, std::string variant, std::uint64_t bytes,
                   std::uint64_t blocks) {
  core::Finding finding;
  finding.fingerprint = std::move(fingerprint);
  finding.kind = FindingKind::LeakDefinite;
  finding.tools = {*core::reporter_named(tool)};
  finding.variants = {std::move(variant)};
  finding.bytes = bytes;
  finding.blocks = blocks;
  finding.frames = {{"f", "", 0, ""}};
  return finding;
}

TEST(Deduplicate, SameFingerprintAcrossToolsIsOneFindingWithBothTools) {
  const auto merged = deduplicate({leak("aa", "memcheck", "memcheck", 24, 1),
                                   leak("aa", "lsan", "asan", 24, 1), leak("bb", "lsan", "asan", 40, 1)});
  ASSERT_EQ(merged.size(), 2u);
  EXPECT_EQ(merged[0].fingerprint, "aa");
  EXPECT_EQ(merged[0].tools, (std::vector<core::Reporter>{core::Reporter::Lsan, core::Reporter::Memcheck}));
  EXPECT_EQ(merged[0].variants, (std::vector<std::string>{"asan", "memcheck"}));
  EXPECT_EQ(merged[0].bytes, 24u) << "one tool's amount, not the sum over tools";
  EXPECT_EQ(merged[0].blocks, 1u);
  EXPECT_EQ(merged[1].fingerprint, "bb");
}

TEST(Deduplicate, WithinOneToolAmountsAddUpSoSummariesStillMatch) {
  // Two loss records whose top 4 frames agree (different deeper callers) within memcheck.
  const auto merged = deduplicate({leak("aa", "memcheck", "mc", 16, 1), leak("aa", "memcheck", "mc", 32, 2),
                                   leak("aa", "lsan", "asan", 48, 3)});
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged[0].bytes, 48u);
  EXPECT_EQ(merged[0].blocks, 3u);
}

TEST(Deduplicate, AcrossRunsTheLargestRunStands) {
  const auto merged =
      deduplicate({leak("aa", "memcheck", "mc-pr", 16, 1), leak("aa", "memcheck", "mc-nightly", 160, 10)});
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged[0].bytes, 160u);
  EXPECT_EQ(merged[0].blocks, 10u);
}

// One leak seen by several CTest tests: the largest test's amount stands for it, and each test's
// own is kept, so per test plumb's sums still equal what the tool said of that test. Merging
// again (plumb merge reads them back) keeps them, and adds up repeats of one source.
TEST(Deduplicate, EachSourceKeepsItsOwnAmountBesideTheLargest) {
  const auto merged = deduplicate({leak("aa", "memcheck", "mc/parse_examples", 2096, 135),
                                   leak("aa", "memcheck", "mc/misc_tests", 6, 1),
                                   leak("aa", "memcheck", "mc/misc_tests", 4, 1)});
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged[0].bytes, 2096u);
  ASSERT_EQ(merged[0].shares.size(), 2u);
  EXPECT_EQ(merged[0].shares[0].variants, (std::vector<std::string>{"mc/misc_tests"}));
  EXPECT_EQ(merged[0].shares[0].bytes, 10u);
  EXPECT_EQ(merged[0].shares[0].blocks, 2u);
  EXPECT_EQ(merged[0].shares[0].occurrences, 2u);
  EXPECT_EQ(merged[0].shares[1].bytes, 2096u);
  const auto again = deduplicate({merged[0], leak("aa", "memcheck", "mc/cjson_add", 27, 3)});
  ASSERT_EQ(again[0].shares.size(), 3u);
  EXPECT_EQ(again[0].shares[0].variants, (std::vector<std::string>{"mc/cjson_add"}));
  EXPECT_EQ(again[0].shares[2].bytes, 2096u);
  // One source alone keeps no shares.
  EXPECT_TRUE(deduplicate({leak("bb", "memcheck", "mc/x", 8, 1)})[0].shares.empty());
}

TEST(Deduplicate, MostSevereStatusWins) {
  auto suppressed = leak("aa", "memcheck", "a", 1, 1);
  suppressed.status = FindingStatus::Suppressed;
  suppressed.suppression = "s";
  auto baseline = leak("aa", "lsan", "b", 1, 1);
  baseline.status = FindingStatus::Baseline;
  auto merged = deduplicate({suppressed, baseline});
  EXPECT_EQ(merged[0].status, FindingStatus::Baseline);
  EXPECT_FALSE(merged[0].suppression.has_value());
  merged = deduplicate({suppressed, leak("aa", "lsan", "c", 1, 1)});
  EXPECT_EQ(merged[0].status, FindingStatus::New);
}

TEST(SortFindings, GatingFirstThenKindThenBytesThenFingerprint) {
  auto a = leak("bb", "t", "v", 0, 0);
  auto b = leak("aa", "t", "v", 0, 0);
  b.kind = FindingKind::Race;
  auto c = leak("cc", "t", "v", 0, 0);
  c.disposition = core::Disposition::Baseline;
  auto d = leak("aa", "t", "v", 0, 0);
  auto e = leak("zz", "t", "v", 500, 1);  // The largest leak of its kind leads it.
  std::vector<core::Finding> findings = {c, b, a, d, e};
  sort_findings(findings);
  std::vector<std::string> order;
  for (const auto& f : findings) {
    order.push_back(f.fingerprint + ":" + std::string(core::to_string(f.kind)));
  }
  EXPECT_EQ(order, (std::vector<std::string>{"zz:leak.definite", "aa:leak.definite", "bb:leak.definite",
                                             "aa:race", "cc:leak.definite"}));
}

}  // namespace
}  // namespace plumb::analyze

// massif and harness samples: cut-off files and bad lines.
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "plumb/parse/massif.hpp"
#include "plumb/parse/samples.hpp"
#include "read_golden.hpp"

namespace plumb::parse {
namespace {

using testing::read_golden;

TEST(Massif, SeriesFollowTheSnapshots) {
  const std::string text = read_golden("massif/grow.massif.out");
  std::size_t snapshots = 0;
  for (std::size_t at = text.find("snapshot="); at != std::string::npos;
       at = text.find("snapshot=", at + 1)) {
    ++snapshots;
  }
  std::istringstream in(text);
  const auto result = parse_massif(in);
  ASSERT_EQ(result.growth.size(), 3U);
  EXPECT_EQ(result.growth[0].samples.size(), snapshots);
  EXPECT_EQ(result.growth[0].samples[1].value, 24096);  // snapshot=1: mem_heap_B=24096
  EXPECT_EQ(result.growth[1].metric, "massif_heap_extra");
  EXPECT_EQ(result.growth[1].samples[1].value, 16);
}

TEST(Massif, CutInsideAHeapTreeIsIncomplete) {
  const std::string text = read_golden("massif/grow.massif.out");
  const auto cut = text.find("remember", text.size() / 2);
  ASSERT_NE(cut, std::string::npos);
  std::istringstream in(text.substr(0, cut));
  const auto result = parse_massif(in);
  EXPECT_TRUE(result.recognised);
  EXPECT_FALSE(result.complete);
  ASSERT_FALSE(result.growth.empty());
  EXPECT_FALSE(result.growth[0].samples.empty());
}

TEST(Massif, SomethingElseIsNotRecognised) {
  std::istringstream in(read_golden("tsan/race.log"));
  const auto result = parse_massif(in);
  EXPECT_FALSE(result.recognised);
  EXPECT_TRUE(result.growth.empty());
}

TEST(Samples, BadLinesAreWarningsWithTheirLineNumber) {
  std::istringstream in(read_golden("samples/clean.jsonl") +
                        "not json\n[1,2]\n{\"type\":\"weird\"}\n{\"type\":\"sample\"}\n");
  const auto result = parse_samples(in);
  EXPECT_TRUE(result.complete);
  ASSERT_EQ(result.warnings.size(), 4U);
  EXPECT_EQ(result.warnings[0].rfind("line 14:", 0), 0U) << result.warnings[0];
  EXPECT_EQ(result.warnings[3].rfind("line 17:", 0), 0U) << result.warnings[3];
}

TEST(Samples, EmptyInputIsNotRecognised) {
  std::istringstream in("");
  const auto result = parse_samples(in);
  EXPECT_FALSE(result.recognised);
  EXPECT_FALSE(result.complete);
}

}  // namespace
}  // namespace plumb::parse

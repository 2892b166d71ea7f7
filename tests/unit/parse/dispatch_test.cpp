// parse_log: the tool names, and no parser crashes on any other tool's log.
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "plumb/core/tools.hpp"

#include "plumb/core/errors.hpp"
#include "plumb/parse/parse.hpp"
#include "read_golden.hpp"

namespace plumb::parse {
namespace {

TEST(ParseLog, UnknownToolIsAUsageError) {
  std::istringstream in("");
  EXPECT_THROW(parse_log("helgrind", in), core::UsageError);
}

TEST(ParseLog, EveryParserSurvivesEveryOtherLog) {
  const char* logs[] = {"memcheck/leak.xml", "massif/grow.massif.out", "asan/uaf.log", "tsan/deadlock.log",
                        "samples/killed.jsonl"};
  for (const core::LogFormatSpec& format : core::kLogFormats) {
    for (const char* log : logs) {
      std::istringstream in(testing::read_golden(log));
      EXPECT_NO_THROW(parse_log(format.name, in)) << format.name << " on " << log;
    }
    std::istringstream binary(std::string("\0\xff\x01<valgrindoutput>\n#0 0x\n", 24));
    EXPECT_NO_THROW(parse_log(format.name, binary)) << format.name;
  }
}

TEST(ParseLog, ToolNamesReachTheirParser) {
  std::istringstream xml(testing::read_golden("memcheck/leak.xml"));
  EXPECT_TRUE(parse_log("memcheck", xml).recognised);
  std::istringstream massif(testing::read_golden("massif/grow.massif.out"));
  EXPECT_TRUE(parse_log("massif", massif).recognised);
  std::istringstream samples(testing::read_golden("samples/clean.jsonl"));
  EXPECT_TRUE(parse_log("samples", samples).recognised);
  std::istringstream tsan(testing::read_golden("tsan/race.log"));
  EXPECT_EQ(parse_log("tsan", tsan).findings.size(), 1U);
}

}  // namespace
}  // namespace plumb::parse

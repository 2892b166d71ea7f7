// parse_log: each format reaches its parser, and no parser crashes on any other tool's log.
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "plumb/core/tools.hpp"

#include "plumb/core/errors.hpp"
#include "plumb/parse/parse.hpp"
#include "read_golden.hpp"

namespace plumb::parse {
namespace {

TEST(ParseLog, EveryParserSurvivesEveryOtherLog) {
  const char* logs[] = {"memcheck/leak.xml", "massif/grow.massif.out", "asan/uaf.log", "tsan/deadlock.log",
                        "samples/killed.jsonl"};
  for (const core::LogFormatSpec& format : core::kLogFormats) {
    for (const char* log : logs) {
      std::istringstream in(testing::read_golden(log));
      EXPECT_NO_THROW(parse_log(format.id, in)) << format.name << " on " << log;
    }
    std::istringstream binary(std::string("\0\xff\x01<valgrindoutput>\n#0 0x\n", 24));
    EXPECT_NO_THROW(parse_log(format.id, binary)) << format.name;
  }
}

TEST(ParseLog, FormatsReachTheirParser) {
  std::istringstream xml(testing::read_golden("memcheck/leak.xml"));
  EXPECT_TRUE(parse_log(core::LogFormat::Memcheck, xml).recognised);
  std::istringstream massif(testing::read_golden("massif/grow.massif.out"));
  EXPECT_TRUE(parse_log(core::LogFormat::Massif, massif).recognised);
  std::istringstream samples(testing::read_golden("samples/clean.jsonl"));
  EXPECT_TRUE(parse_log(core::LogFormat::Samples, samples).recognised);
  std::istringstream tsan(testing::read_golden("tsan/race.log"));
  EXPECT_EQ(parse_log(core::LogFormat::Tsan, tsan).findings.size(), 1U);
}

}  // namespace
}  // namespace plumb::parse

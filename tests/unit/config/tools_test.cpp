// The tools, log formats and reporters: each enum value has its row in its table, at its index, and its name
// leads back to it; any other name is none of them.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plumb/core/errors.hpp"
#include "plumb/core/tools.hpp"

namespace plumb::core {
namespace {

TEST(Tools, EveryToolRoundTripsThroughItsName) {
  for (const Tool tool : {Tool::Memcheck, Tool::Massif, Tool::Asan, Tool::Tsan, Tool::Native, Tool::Doctor}) {
    const std::string_view name = name_of(tool);
    EXPECT_FALSE(name.empty());
    EXPECT_EQ(tool_named(name), tool) << name;
    EXPECT_EQ(tool_of_log(name), tool) << name;
    EXPECT_EQ(spec_of(tool).id, tool) << name;
  }
  EXPECT_EQ(name_of(Tool::Memcheck), "memcheck");
  EXPECT_EQ(name_of(Tool::Native), "native");
}

// The doctor's watch is a tool of reports, never one a config or the command line may run under.
TEST(Tools, OnlyToolsThatRunProgramsAreAcceptedFromAConfigOrTheCommandLine) {
  for (const Tool tool : {Tool::Memcheck, Tool::Massif, Tool::Asan, Tool::Tsan, Tool::Native}) {
    EXPECT_EQ(require_tool(name_of(tool)), tool);
  }
  EXPECT_THROW((void)require_tool("doctor"), UsageError);
  EXPECT_EQ(spelled_list(tool_names()), "memcheck, massif, asan, tsan or native");
}

// A log format's own name gives the tool whose runs write it: `plumb parse --tool lsan` is asan's.
TEST(Tools, ALogFormatBelongsToTheToolWhoseRunsWriteIt) {
  EXPECT_EQ(tool_of_log("lsan"), Tool::Asan);
  EXPECT_EQ(tool_of_log("ubsan"), Tool::Asan);
  EXPECT_EQ(tool_of_log("samples"), Tool::Native);
  EXPECT_EQ(tool_of_log("tsan"), Tool::Tsan);
  EXPECT_THROW((void)tool_of_log("helgrind"), UsageError);
}

TEST(Tools, EveryLogFormatRoundTripsThroughItsName) {
  for (const LogFormat format : {LogFormat::Memcheck, LogFormat::Massif, LogFormat::Asan, LogFormat::Lsan,
                                 LogFormat::Ubsan, LogFormat::Tsan, LogFormat::Samples}) {
    const std::string_view name = name_of(format);
    EXPECT_FALSE(name.empty());
    EXPECT_EQ(log_format_named(name), format) << name;
    EXPECT_EQ(require_log_format(name), format) << name;
  }
  EXPECT_EQ(name_of(LogFormat::Lsan), "lsan");
  EXPECT_EQ(name_of(LogFormat::Samples), "samples");
}

TEST(Tools, AnyOtherNameIsNone) {
  for (const char* name : {"", "helgrind", "drd", "msan", "valgrind", "Memcheck", "memcheck ", "lsan"}) {
    EXPECT_EQ(tool_named(name), std::nullopt) << name;
  }
  for (const char* name : {"", "helgrind", "msan", "native", "valgrind", "ASan", "sample"}) {
    EXPECT_EQ(log_format_named(name), std::nullopt) << name;
  }
}

// The refusal names every tool, or every format (`plumb parse --tool` calls a format a tool).
TEST(Tools, RequiringAnUnknownNameIsAUsageErrorThatListsTheKnownOnes) {
  try {
    require_tool("helgrind");
    ADD_FAILURE() << "no UsageError";
  } catch (const UsageError& error) {
    EXPECT_STREQ(error.what(), "unknown tool 'helgrind' (expected memcheck, massif, asan, tsan or native)");
  }
  try {
    require_log_format("helgrind");
    ADD_FAILURE() << "no UsageError";
  } catch (const UsageError& error) {
    EXPECT_STREQ(error.what(),
                 "unknown tool \"helgrind\" (expected memcheck, massif, asan, lsan, ubsan, tsan or samples)");
  }
}

// name_of and spec_of index the tables by the enum: row i must be the value i, and every value must
// have a row (the last one, Doctor or Samples, included). Listed in that order, as messages list them.
TEST(Tools, TheTablesAreInEnumOrder) {
  ASSERT_EQ(std::size(kTools), static_cast<std::size_t>(Tool::Doctor) + 1);
  for (std::size_t i = 0; i < std::size(kTools); ++i) {
    EXPECT_EQ(static_cast<std::size_t>(kTools[i].id), i) << kTools[i].name;
  }
  ASSERT_EQ(std::size(kLogFormats), static_cast<std::size_t>(LogFormat::Samples) + 1);
  for (std::size_t i = 0; i < std::size(kLogFormats); ++i) {
    EXPECT_EQ(static_cast<std::size_t>(kLogFormats[i].id), i) << kLogFormats[i].name;
  }
  EXPECT_EQ(spelled_list(tool_names()), "memcheck, massif, asan, tsan or native");
  EXPECT_EQ(spelled_list(log_format_names()), "memcheck, massif, asan, lsan, ubsan, tsan or samples");
  ASSERT_EQ(std::size(kReporters), static_cast<std::size_t>(Reporter::Heaptrack) + 1);
  for (std::size_t i = 0; i < std::size(kReporters); ++i) {
    EXPECT_EQ(static_cast<std::size_t>(kReporters[i].id), i) << kReporters[i].name;
  }
}

// A finding names who reported it: a reporter's name leads back to it, a log format gives the
// reporter of its findings, a tool the reporter of a crash it saw; valgrind's tools are marked.
TEST(Tools, EveryReporterRoundTripsThroughItsName) {
  for (const ReporterSpec& row : kReporters) {
    EXPECT_FALSE(row.name.empty());
    EXPECT_EQ(reporter_named(row.name), row.id) << row.name;
    EXPECT_EQ(name_of(row.id), row.name);
  }
  EXPECT_EQ(reporter_named("valgrind"), std::nullopt);
  EXPECT_EQ(reporter_named("Memcheck"), std::nullopt);
  EXPECT_EQ(spec_of(LogFormat::Lsan).reporter, Reporter::Lsan);
  EXPECT_EQ(spec_of(LogFormat::Samples).reporter, Reporter::Samples);
  EXPECT_EQ(reporter_of(Tool::Asan), Reporter::Asan);
  EXPECT_EQ(reporter_of(Tool::Doctor), Reporter::Doctor);
  EXPECT_TRUE(spec_of(Reporter::Helgrind).valgrind);
  EXPECT_FALSE(spec_of(Reporter::Lsan).valgrind);
}

// A finding's reporters are kept sorted by name, so report.json lists them as it always has.
TEST(Tools, ReportersSortByName) {
  std::vector<Reporter> reporters = {Reporter::Memcheck, Reporter::Tsan, Reporter::Asan, Reporter::Lsan};
  std::sort(reporters.begin(), reporters.end(), by_name);
  EXPECT_EQ(names_of(reporters), (std::vector<std::string>{"asan", "lsan", "memcheck", "tsan"}));
}

}  // namespace
}  // namespace plumb::core

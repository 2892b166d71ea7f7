// Silence is never a pass: a log that holds a tool's header or summary but not the records it
// announces (or another tool's output) makes `plumb parse` exit 3 with verdict error, in every
// file of the report set, naming what is missing. Each input is cut from a real log.
#include <gtest/gtest.h>

#include <fstream>
#include <ostream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "fault_support.hpp"

namespace plumb::faults {
namespace {

// The lines of a golden log whose text contains any of `keep`.
std::string lines_of(const std::string& golden, const std::vector<std::string>& keep) {
  std::istringstream in(read_text(std::filesystem::path(GOLDEN_DIR) / golden));
  std::string out;
  for (std::string line; std::getline(in, line);) {
    for (const auto& fragment : keep) {
      if (line.find(fragment) != std::string::npos) {
        out += line + "\n";
        break;
      }
    }
  }
  return out;
}

// The first `bytes` bytes of a golden log.
std::string head_of(const std::string& golden, std::size_t bytes) {
  return read_text(std::filesystem::path(GOLDEN_DIR) / golden).substr(0, bytes);
}

// One log that proves nothing: the parser to read it with, its text, what the report must say.
struct Unproven {
  const char* name;
  const char* tool;
  std::string text;
  std::string reason;  // A fragment of the error the report gives.
};

void PrintTo(const Unproven& c, std::ostream* out) {
  *out << c.name;
}

std::vector<Unproven> cases() {
  return {
      {"tsan_count_without_warnings", "tsan", lines_of("tsan/race.log", {"ThreadSanitizer: reported"}),
       "ThreadSanitizer reported 1 warnings but the log holds 0"},
      {"lsan_header_and_summary_only", "lsan",
       lines_of("lsan/leak.log", {"ERROR: LeakSanitizer", "SUMMARY: LeakSanitizer"}),
       "the SUMMARY counts 93 bytes in 2 allocations, the leak records 0 bytes in 0"},
      {"asan_lone_summary", "asan", lines_of("asan/uaf.log", {"SUMMARY: AddressSanitizer"}),
       "a SUMMARY (heap-use-after-free) with no report before it"},
      {"memcheck_empty_root", "memcheck", "<valgrindoutput/>\n", "names no tool"},
      {"memcheck_given_helgrind", "memcheck",
       read_text(std::filesystem::path(FAULT_DATA_DIR) / "helgrind-race.xml"),
       "the XML is helgrind's, not memcheck's"},
      {"memcheck_cut_before_finished", "memcheck",
       head_of("memcheck/leak.xml", read_text(std::filesystem::path(GOLDEN_DIR) / "memcheck/leak.xml")
                                        .find("<status>\n  <state>FINISHED")) +
           "</valgrindoutput>\n",
       "never reported the FINISHED state"},
      {"massif_header_only", "massif", lines_of("massif/grow.massif.out", {"desc:", "cmd:", "time_unit:"}),
       "no snapshot"},
  };
}

class Unprovable : public testing::TestWithParam<Unproven> {};

TEST_P(Unprovable, IsAnErrorInEveryFile) {
  const Unproven& c = GetParam();
  ASSERT_FALSE(c.text.empty()) << "the golden log no longer holds the lines this case keeps";
  TempDir tmp;
  std::ofstream(tmp / "input.log", std::ios::binary) << c.text;
  const RunResult run = run_plumb(
      {"parse", "--tool", c.tool, "--out", (tmp / "out").string(), (tmp / "input.log").string()}, tmp.path());
  ASSERT_FALSE(run.timed_out) << describe(run);
  EXPECT_EQ(run.exit_code, 3) << describe(run);
  EXPECT_NE(run.out.find("verdict: ERROR"), std::string::npos) << run.out;
  const nlohmann::json report = read_report(tmp / "out");
  ASSERT_TRUE(report.is_object()) << describe(run);
  EXPECT_EQ(report.value("verdict", ""), "error") << report.dump(2);
  bool named = false;
  for (const auto& reason : report["reasons"]) {
    named = named || reason.value("text", "").find(c.reason) != std::string::npos;
  }
  EXPECT_TRUE(named) << "no reason says \"" << c.reason << "\"\n" << report["reasons"].dump(2);
  const std::string junit = read_text(tmp / "out" / "junit.xml");
  std::smatch totals;
  ASSERT_TRUE(std::regex_search(junit, totals, std::regex("<testsuites [^>]*errors=\"([0-9]+)\""))) << junit;
  EXPECT_GT(std::stoi(totals[1]), 0) << junit;
  EXPECT_NE(read_text(tmp / "out" / "report.html").find("<title>plumb report: ERROR</title>"),
            std::string::npos);
  const auto sarif = nlohmann::json::parse(read_text(tmp / "out" / "report.sarif"));
  EXPECT_EQ(sarif["runs"][0]["properties"]["verdict"], "error");
  EXPECT_FALSE(sarif["runs"][0]["invocations"][0]["executionSuccessful"].get<bool>());
}

INSTANTIATE_TEST_SUITE_P(Logs, Unprovable, testing::ValuesIn(cases()),
                         [](const testing::TestParamInfo<Unproven>& param) {
                           return std::string(param.param.name);
                         });

}  // namespace
}  // namespace plumb::faults

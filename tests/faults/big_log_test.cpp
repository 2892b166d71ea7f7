// A 1 GB memcheck log (the golden leak records repeated, as periodic leak checks repeat them) is
// parsed by `plumb parse` in bounded memory: the child's peak RSS stays under 100 MB.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "fault_support.hpp"

namespace plumb::faults {
namespace {

// Bytes of log to generate: 1 GiB, or PLUMB_BIG_LOG_MB megabytes for a quicker local run.
std::uint64_t log_bytes() {
  const char* mb = std::getenv("PLUMB_BIG_LOG_MB");
  return (mb != nullptr && std::atoll(mb) > 0 ? static_cast<std::uint64_t>(std::atoll(mb)) : 1024ULL) << 20;
}

// Writes the golden leak log with its <error> records repeated (fresh <unique> ids) to `path`;
// returns the number of records written.
std::uint64_t write_big_log(const std::filesystem::path& path, std::uint64_t bytes) {
  const std::string golden = read_text(std::string(GOLDEN_DIR) + "/memcheck/leak.xml");
  const std::size_t first = golden.find("<error>");
  const std::size_t last = golden.rfind("</error>");
  if (first == std::string::npos || last == std::string::npos) {
    return 0;
  }
  const std::size_t end = last + std::string("</error>").size();
  const std::string head = golden.substr(0, first);
  const std::string records = golden.substr(first, end - first) + "\n";
  const std::string tail = golden.substr(end);
  std::ofstream out(path, std::ios::binary);
  out << head;
  std::uint64_t written = head.size();
  std::uint64_t count = 0;
  std::string block;
  for (std::uint64_t round = 0; written < bytes; ++round) {
    block = records;
    // Keep every record's <unique> distinct, as memcheck's own are.
    for (std::size_t at = block.find("<unique>0x"); at != std::string::npos;
         at = block.find("<unique>0x", at + 1)) {
      const std::size_t digits = at + std::string("<unique>0x").size();
      const std::size_t close = block.find('<', digits);
      char id[32];
      std::snprintf(id, sizeof id, "%llx", static_cast<unsigned long long>(count++));
      block.replace(digits, close - digits, id);
    }
    out << block;
    written += block.size();
  }
  out << tail;
  return out ? count : 0;
}

TEST(BigLog, OneGigabyteMemcheckLogIsParsedInBoundedMemory) {
  PLUMB_SKIP_WHEN_NESTED();
  // Minutes long and disk hungry: optional, run by the nightly job (PLUMB_SLOW_TESTS=1) or by hand.
  if (std::getenv("PLUMB_SLOW_TESTS") == nullptr && std::getenv("PLUMB_BIG_LOG_MB") == nullptr) {
    GTEST_SKIP() << "slow test: set PLUMB_SLOW_TESTS=1 (or PLUMB_BIG_LOG_MB=N for a smaller log) to run it";
  }
  TempDir tmp;
  const std::filesystem::path log = tmp / "memcheck.xml";
  const std::uint64_t records = write_big_log(log, log_bytes());
  ASSERT_GT(records, 0u) << "could not write the big log";
  RecordProperty("records", std::to_string(records));
  RecordProperty("log_bytes", std::to_string(std::filesystem::file_size(log)));
  RunOptions options;
  options.guard = std::chrono::seconds(900);
  const RunResult run = run_plumb(
      {"parse", "--tool", "memcheck", "--out", (tmp / "out").string(), log.string()}, tmp.path(), options);
  std::filesystem::remove(log);
  RecordProperty("peak_rss_kb", std::to_string(run.max_rss_kb));
  RecordProperty("seconds", std::to_string(run.seconds));
  std::printf("parsed %llu records (%llu MiB) in %.1f s, peak RSS %ld kB\n",
              static_cast<unsigned long long>(records), static_cast<unsigned long long>(log_bytes() >> 20),
              run.seconds, run.max_rss_kb);
  ASSERT_FALSE(run.timed_out) << "plumb parse did not finish";
  EXPECT_EQ(run.signal, 0) << run.err;
  EXPECT_EQ(run.exit_code, 1) << "the leaks should fail the gate\n" << run.err;
  EXPECT_LT(run.max_rss_kb, 100 * 1024) << "peak RSS of plumb parse";
  const nlohmann::json report = read_report(tmp / "out");
  ASSERT_TRUE(report.is_object()) << "no report.json";
  EXPECT_EQ(findings_of_kind(report, "leak.definite").size(), 1u) << "repeated records are one finding";
  EXPECT_EQ(findings_of_kind(report, "leak.indirect").size(), 1u);
}

}  // namespace
}  // namespace plumb::faults

#include "plumb/reports/write.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <csignal>

#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "plumb/core/errors.hpp"
#include "plumb/core/report_json.hpp"
#include "plumb/reports/terminal.hpp"
#include "sample_reports.hpp"

namespace plumb::reports {
namespace {

namespace fs = std::filesystem;

// A fresh folder under the system temp dir, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "plumb-reports-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::set<std::string> names_in(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    names.insert(entry.path().filename().string());
  }
  return names;
}

TEST(WriteReports, WritesFourCompleteFilesAndNothingElse) {
  TempDir temp;
  const auto report = testing::realistic_report();
  const auto dir = temp.path() / "nested" / "out";
  const WrittenReports written = write_reports(report, dir);
  EXPECT_EQ(written.json, dir / "report.json");
  EXPECT_EQ(written.html, dir / "report.html");
  EXPECT_EQ(written.junit, dir / "junit.xml");
  EXPECT_EQ(written.sarif, dir / "report.sarif");
  EXPECT_EQ(names_in(dir),
            (std::set<std::string>{"report.json", "report.html", "junit.xml", "report.sarif"}));

  const std::string json_text = read(written.json);
  EXPECT_EQ(json_text, core::to_json(report).dump(2) + "\n");
  std::istringstream json_in(json_text);
  EXPECT_EQ(core::to_json(core::read_report(json_in, "report.json")), core::to_json(report));
  const std::string html = read(written.html);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0U);
  EXPECT_EQ(html.substr(html.size() - 8), "</html>\n");
  EXPECT_EQ(read(written.junit).substr(read(written.junit).size() - 14), "</testsuites>\n");
  EXPECT_EQ(nlohmann::json::parse(read(written.sarif))["version"], "2.1.0");
}

TEST(WriteReports, OverwritesAnEarlierSetWithoutLeavingTemporaries) {
  TempDir temp;
  write_reports(testing::realistic_report(), temp.path());
  const auto written = write_reports(testing::clean_report(), temp.path());
  EXPECT_EQ(names_in(temp.path()).size(), 4U);
  std::ifstream in(written.json);
  EXPECT_EQ(core::read_report(in, "report.json").verdict, core::Verdict::Pass);
}

TEST(WriteReports, InvalidUtf8FromToolsStillYieldsValidJson) {
  TempDir temp;
  const auto written = write_reports(testing::injection_report(), temp.path());
  const auto document = nlohmann::json::parse(read(written.json));
  EXPECT_EQ(document["findings"].size(), testing::injection_payloads().size());
}

TEST(WriteReports, UnwritableDestinationIsAnInfrastructureError) {
  TempDir temp;
  const auto blocker = temp.path() / "file";
  std::ofstream(blocker) << "not a folder";
  EXPECT_THROW(write_reports(testing::clean_report(), blocker / "out"), core::InfrastructureError);
}

// A report past its cap says so in every format, with the same words.
TEST(WriteReports, ATruncatedReportSaysSoInEveryFormat) {
  TempDir temp;
  auto report = testing::realistic_report();
  report.truncated.push_back({core::FindingKind::LeakDefinite, 500, 1234, 3, 4096, 1500});
  write_reports(report, temp.path());
  const std::string words = "leak.definite: the 500 largest listed; 1234 more distinct findings (3 new";
  EXPECT_NE(read(temp.path() / "report.html").find(words), std::string::npos);
  EXPECT_NE(read(temp.path() / "junit.xml").find(words), std::string::npos);
  EXPECT_NE(read(temp.path() / "report.sarif").find(words), std::string::npos);
  const auto json = nlohmann::json::parse(read(temp.path() / "report.json"));
  EXPECT_EQ(json["truncated"][0]["dropped"], 1234);
  std::istringstream in(read(temp.path() / "report.json"));
  EXPECT_EQ(core::read_report(in, "report.json").truncated, report.truncated);
  EXPECT_NE(render_terminal_summary(report, TerminalStyle{}, "out").find("truncated: " + words),
            std::string::npos);
}

// The run id each of the four files names.
std::vector<std::string> run_ids_in(const fs::path& dir) {
  std::vector<std::string> ids;
  ids.push_back(nlohmann::json::parse(read(dir / "report.json"))["run_id"].get<std::string>());
  const std::string html = read(dir / "report.html");
  const std::string meta = "<meta name=\"plumb-run-id\" content=\"";
  const std::size_t at = html.find(meta);
  ids.push_back(at == std::string::npos
                    ? ""
                    : html.substr(at + meta.size(), html.find('"', at + meta.size()) - at - meta.size()));
  const std::string junit = read(dir / "junit.xml");
  const std::string property = "<property name=\"plumb.run_id\" value=\"";
  const std::size_t p = junit.find(property);
  ids.push_back(p == std::string::npos ? "" : junit.substr(p + property.size(), 36));
  ids.push_back(nlohmann::json::parse(read(dir / "report.sarif"))["runs"][0]["automationDetails"]["guid"]);
  return ids;
}

TEST(WriteReports, EveryFileNamesTheSameRunId) {
  TempDir temp;
  const auto report = testing::realistic_report();
  ASSERT_FALSE(report.run_id.empty());
  write_reports(report, temp.path());
  EXPECT_EQ(run_ids_in(temp.path()), std::vector<std::string>(4, report.run_id));
}

// A disk that fills up mid-write (here: a file-size limit, so the HTML page cannot be written) must
// leave the previous set whole, not a new report.json beside an old report.html.
TEST(WriteReports, AFailedWriteKeepsThePreviousSetWhole) {
  TempDir temp;
  const auto previous = testing::clean_report();
  write_reports(previous, temp.path());
  const std::string previous_html = read(temp.path() / "report.html");
  ASSERT_GT(previous_html.size(), 20000U);
  // The limit is lowered for this process only while the write runs (the soft limit, restored
  // after); SIGXFSZ ignored, so writes past it fail with EFBIG as on a full disk. No fork: a
  // forked child would leave its own leak report under memcheck.
  rlimit saved{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
  const auto previous_handler = ::signal(SIGXFSZ, SIG_IGN);
  rlimit small = saved;
  small.rlim_cur = 16384;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  std::string message;
  try {
    write_reports(testing::realistic_report(), temp.path());
  } catch (const core::InfrastructureError& error) {
    message = error.what();
  }
  ::setrlimit(RLIMIT_FSIZE, &saved);
  ::signal(SIGXFSZ, previous_handler);
  EXPECT_NE(message.find("the report set was not replaced"), std::string::npos) << "message: " << message;
  EXPECT_EQ(names_in(temp.path()),
            (std::set<std::string>{"report.json", "report.html", "junit.xml", "report.sarif"}));
  EXPECT_EQ(run_ids_in(temp.path()), std::vector<std::string>(4, previous.run_id));
  EXPECT_EQ(read(temp.path() / "report.html"), previous_html);
}

}  // namespace
}  // namespace plumb::reports

#include "plumb/reports/write.hpp"

#include <unistd.h>

#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "plumb/core/errors.hpp"
#include "plumb/core/report_json.hpp"
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

}  // namespace
}  // namespace plumb::reports

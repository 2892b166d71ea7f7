// core::check_report_folder and the owned-folder rules, on real folders under the temporary folder.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "plumb/core/errors.hpp"
#include "plumb/core/output_dir.hpp"

namespace plumb::core {
namespace {

namespace fs = std::filesystem;

class ReportFolder : public testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "plumb-folder-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  // The message check_report_folder throws for `out`, or "" when it accepts it.
  static std::string refusal(const fs::path& out, const ReportFolderRules& rules = {}) {
    try {
      check_report_folder(out, rules);
    } catch (const UsageError& error) {
      return error.what();
    }
    return "";
  }

  fs::path dir_;
};

TEST_F(ReportFolder, RefusesTheRootHomeAndReservedFolders) {
  EXPECT_NE(refusal("/").find("is the root folder"), std::string::npos);
  EXPECT_NE(refusal("/tmp/..").find("is the root folder"), std::string::npos);
  const char* home = std::getenv("HOME");
  if (home != nullptr && *home != '\0') {
    EXPECT_NE(refusal(home).find("home folder"), std::string::npos);
  }
  ReportFolderRules rules;
  rules.reserved = {{dir_, "the project root (it holds plumb.toml)"}};
  EXPECT_NE(refusal(dir_ / ".", rules).find("the project root"), std::string::npos);
  EXPECT_EQ(refusal(dir_ / "out", rules), "");
}

TEST_F(ReportFolder, NamesTheFirstFileItDidNotWriteAndAcceptsItsOwn) {
  fs::create_directories(dir_ / "out" / "variant");
  std::ofstream(dir_ / "out" / "variant" / ".plumb-made") << "made by plumb\n";
  std::ofstream(dir_ / "out" / "report.json") << "{\"schema\": \"plumb.report/2\"}\n";
  EXPECT_EQ(refusal(dir_ / "out"), "");
  std::ofstream(dir_ / "out" / "report.html") << "<p>mine</p>\n";
  EXPECT_NE(refusal(dir_ / "out").find((dir_ / "out" / "report.html").string()), std::string::npos);
  fs::remove(dir_ / "out" / "report.html");
  fs::create_directories(dir_ / "out" / "photos");
  EXPECT_NE(refusal(dir_ / "out").find((dir_ / "out" / "photos").string()), std::string::npos);
  ReportFolderRules rules;
  rules.judged_elsewhere = {"photos"};
  EXPECT_EQ(refusal(dir_ / "out", rules), "");
}

TEST_F(ReportFolder, RemovesOnlyFoldersMarkedAtEveryLevelAndNeverThroughALink) {
  const fs::path variant = dir_ / "out" / "v";
  fs::create_directories(variant / "snapshots");
  fs::create_directories(dir_ / "elsewhere");
  std::ofstream(dir_ / "elsewhere" / "keep.txt") << "kept\n";
  mark_owned(variant);
  std::ofstream(variant / "snapshots" / "mine.txt") << "the user's\n";
  fs::create_directory_symlink(dir_ / "elsewhere", variant / "link");
  EXPECT_THROW(remove_owned_dir(variant), UsageError);  // snapshots/ carries no marker
  EXPECT_TRUE(fs::exists(variant / "snapshots" / "mine.txt"));
  mark_owned_below(variant);
  remove_owned_dir(variant);
  EXPECT_FALSE(fs::exists(variant));
  EXPECT_TRUE(fs::exists(dir_ / "elsewhere" / "keep.txt")) << "deleted through the link";
}

TEST_F(ReportFolder, OpensBelowItsRootThroughNoLink) {
  fs::create_directories(dir_ / "out" / "v");
  fs::create_directories(dir_ / "elsewhere");
  std::ofstream(dir_ / "elsewhere" / "stdout.log") << "the user's\n";
  const int fd =
      open_beneath(dir_ / "out", dir_ / "out" / "v" / "stdout.log", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  ::close(fd);
  EXPECT_TRUE(fs::is_regular_file(dir_ / "out" / "v" / "stdout.log"));
  // The variant folder swapped for a link after plumb made it: refused, the file there untouched.
  fs::remove_all(dir_ / "out" / "v");
  fs::create_directory_symlink(dir_ / "elsewhere", dir_ / "out" / "v");
  try {
    open_beneath(dir_ / "out", dir_ / "out" / "v" / "stdout.log", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ADD_FAILURE() << "opened through the link";
  } catch (const UsageError& error) {
    EXPECT_NE(std::string(error.what()).find((dir_ / "out" / "v").string() + " is a symbolic link"),
              std::string::npos)
        << error.what();
  }
  std::ifstream in(dir_ / "elsewhere" / "stdout.log");
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "the user's");
}

}  // namespace
}  // namespace plumb::core

// plumb owns only its own: no write through a link inside --out, no deletion of a folder or file
// it did not make (checked at every level), and --out never a folder of the user's.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "fault_support.hpp"

namespace plumb::faults {
namespace {

namespace fs = std::filesystem;

// plumb exec of the silent program into `out`; `marker` proves whether it ran.
RunResult exec_silent(const TempDir& tmp, const fs::path& out, const RunOptions& options = {}) {
  return run_plumb({"exec", "--tool", "native", "--exit-code-only", "--out", out.string(), "--", FAULT_SILENT,
                    "--marker", (tmp / "ran").string()},
                   tmp.path(), options);
}

// A link plumb finds where its own file or folder goes, pointing outside --out.
struct LinkCase {
  const char* name;  // The entry inside --out.
  bool folder;       // It points at a folder (else a file).
  bool dangling;     // It points at nothing.
};

class LinkInOut : public testing::TestWithParam<LinkCase> {};

TEST_P(LinkInOut, IsRefusedByNameAndItsTargetIsUnchanged) {
  PLUMB_SKIP_WHEN_NESTED();
  const LinkCase& link = GetParam();
  TempDir tmp;
  const fs::path out = tmp / "out";
  fs::create_directories(out);
  const fs::path target = tmp / "victim";
  if (link.folder && !link.dangling) {
    fs::create_directories(target);
    std::ofstream(target / "keep.txt") << "the user's\n";
  } else if (!link.dangling) {
    std::ofstream(target) << "the user's\n";
  }
  fs::create_symlink(target, out / link.name);
  const RunResult run = exec_silent(tmp, out);
  ASSERT_FALSE(run.timed_out) << describe(run);
  EXPECT_EQ(run.exit_code, 2) << describe(run);
  EXPECT_NE(run.err.find((out / link.name).string()), std::string::npos) << "the error should name the link\n"
                                                                         << describe(run);
  EXPECT_FALSE(fs::exists(tmp / "ran")) << "the program ran although --out holds a link";
  if (link.dangling) {
    EXPECT_FALSE(fs::exists(target)) << "a dangling link created its target";
  } else if (link.folder) {
    EXPECT_EQ(read_text(target / "keep.txt"), "the user's\n");
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(target)) {
      names.push_back(entry.path().filename().string());
    }
    EXPECT_EQ(names, std::vector<std::string>{"keep.txt"}) << "plumb wrote into the linked folder";
  } else {
    EXPECT_EQ(read_text(target), "the user's\n") << "plumb wrote through the link";
  }
  EXPECT_TRUE(fs::is_symlink(out / link.name)) << "the link itself was replaced";
}

INSTANTIATE_TEST_SUITE_P(
    Entries, LinkInOut,
    testing::Values(LinkCase{".plumb-lock", false, false}, LinkCase{".plumb-lock", false, true},
                    LinkCase{".plumb-write-probe", false, false}, LinkCase{"build-logs", true, false},
                    LinkCase{"exec-native", true, false}, LinkCase{"report.html", false, false},
                    LinkCase{"report.json", false, true}),
    [](const testing::TestParamInfo<LinkCase>& case_info) {
      std::string name;
      for (const char c : std::string(case_info.param.name)) {
        name += std::isalnum(static_cast<unsigned char>(c)) != 0 ? c : '_';
      }
      return name + (case_info.param.dangling ? "_dangling" : "");
    });

// A hard link is no symbolic link, but the same file under a second name: plumb never truncates it.
TEST(HardLinkedLock, IsRefusedAndTheOtherFileIsUnchanged) {
  PLUMB_SKIP_WHEN_NESTED();
  TempDir tmp;
  const fs::path out = tmp / "out";
  fs::create_directories(out);
  std::ofstream(tmp / "victim") << "the user's\n";
  fs::create_hard_link(tmp / "victim", out / ".plumb-lock");
  const RunResult run = exec_silent(tmp, out);
  ASSERT_FALSE(run.timed_out) << describe(run);
  EXPECT_EQ(run.exit_code, 2) << describe(run);
  EXPECT_NE(run.err.find((out / ".plumb-lock").string() + " has other names"), std::string::npos)
      << describe(run);
  EXPECT_EQ(read_text(tmp / "victim"), "the user's\n");
  EXPECT_FALSE(fs::exists(tmp / "ran"));
}

// A user's file in a snapshots folder below a variant folder: plumb made the variant folder (or an
// earlier plumb left only logs in it), never the snapshots folder, so nothing there is deleted.
class ForeignSnapshot : public testing::TestWithParam<bool> {};

TEST_P(ForeignSnapshot, IsKeptAndTheRunIsRefusedNamingTheFolder) {
  PLUMB_SKIP_WHEN_NESTED();
  const bool variant_marked = GetParam();
  TempDir tmp;
  const fs::path out = tmp / "out";
  const fs::path variant = out / "exec-native";
  fs::create_directories(variant / "snapshots");
  std::ofstream(variant / "stdout.log") << "";
  if (variant_marked) {
    std::ofstream(variant / ".plumb-made") << "made by plumb\n";
  }
  std::ofstream(variant / "snapshots" / "mine.txt") << "the user's\n";
  const RunResult run = exec_silent(tmp, out);
  ASSERT_FALSE(run.timed_out) << describe(run);
  EXPECT_EQ(run.exit_code, 2) << describe(run);
  EXPECT_EQ(read_text(variant / "snapshots" / "mine.txt"), "the user's\n") << describe(run);
  EXPECT_NE(run.err.find(variant_marked ? (variant / "snapshots").string() : variant.string()),
            std::string::npos)
      << describe(run);
  EXPECT_FALSE(fs::exists(tmp / "ran"));
}

INSTANTIATE_TEST_SUITE_P(Variant, ForeignSnapshot, testing::Bool(),
                         [](const testing::TestParamInfo<bool>& case_info) {
                           return std::string(case_info.param ? "Marked" : "LeftByAnEarlierPlumb");
                         });

// What a run creates below its own folder is plumb's: the next run replaces it.
TEST(OwnFolders, MadeByTheRunAreReplacedByTheNextRun) {
  PLUMB_SKIP_WHEN_NESTED();
  TempDir tmp;
  const fs::path out = tmp / "out";
  const fs::path variant = out / "maker";
  const std::vector<std::string> args = {
      "exec",
      "--tool",
      "native",
      "--exit-code-only",
      "--name",
      "maker",
      "--out",
      out.string(),
      "--",
      "/bin/sh",
      "-c",
      "mkdir -p \"$0/snapshots/deep\" && echo x > \"$0/snapshots/deep/s.out\"",
      variant.string()};
  for (int round = 0; round < 2; ++round) {
    const RunResult run = run_plumb(args, tmp.path());
    ASSERT_FALSE(run.timed_out) << describe(run);
    ASSERT_EQ(run.exit_code, 0) << "round " << round << "\n" << describe(run);
    EXPECT_TRUE(fs::exists(variant / "snapshots" / "deep" / ".plumb-made")) << "round " << round;
  }
}

// --out that is the user's home, the project root, or a folder holding the user's files: refused
// before anything runs, with what it is or the file named, nothing changed. (The filesystem root is
// checked without running plumb, by ReportFolder.RefusesTheRootHomeAndReservedFolders: a plumb that
// failed it would write there.)
TEST(OutFolder, HomeHoldingAReportHtmlIsRefusedAndTheFileKept) {
  PLUMB_SKIP_WHEN_NESTED();
  TempDir tmp;
  const fs::path home = tmp / "home";
  fs::create_directories(home);
  std::ofstream(home / "report.html") << "<p>my own page</p>\n";
  RunOptions options;
  options.env["HOME"] = home.string();
  const RunResult run = exec_silent(tmp, home, options);
  ASSERT_FALSE(run.timed_out) << describe(run);
  EXPECT_EQ(run.exit_code, 2) << describe(run);
  EXPECT_NE(run.err.find("home folder"), std::string::npos) << describe(run);
  EXPECT_EQ(read_text(home / "report.html"), "<p>my own page</p>\n");
  EXPECT_FALSE(fs::exists(home / ".plumb-lock"));
  EXPECT_FALSE(fs::exists(tmp / "ran"));
}

class ForeignFileInOut : public testing::TestWithParam<const char*> {};

TEST_P(ForeignFileInOut, IsNamedAndKept) {
  PLUMB_SKIP_WHEN_NESTED();
  TempDir tmp;
  const fs::path out = tmp / "out";
  fs::create_directories(out);
  std::ofstream(out / GetParam()) << "the user's\n";
  const RunResult run = exec_silent(tmp, out);
  ASSERT_FALSE(run.timed_out) << describe(run);
  EXPECT_EQ(run.exit_code, 2) << describe(run);
  EXPECT_NE(run.err.find((out / GetParam()).string()), std::string::npos) << describe(run);
  EXPECT_EQ(read_text(out / GetParam()), "the user's\n");
  EXPECT_FALSE(fs::exists(tmp / "ran"));
}

INSTANTIATE_TEST_SUITE_P(Files, ForeignFileInOut,
                         testing::Values("notes.txt", "report.json", "report.html", "junit.xml"),
                         [](const testing::TestParamInfo<const char*>& case_info) {
                           std::string name = case_info.param;
                           name[name.find('.')] = '_';
                           return name;
                         });

TEST(OutFolder, ProjectRootIsRefused) {
  PLUMB_SKIP_WHEN_NESTED();
  TempDir tmp;
  std::ofstream(tmp / "plumb.toml")
      << "[[variant]]\nname = \"quiet\"\ntool = \"native\"\nexit_code_only = true\n"
         "target = \""
      << FAULT_SILENT << "\"\n[variant.tiers.pr]\nargs = [\"--marker\", \"" << (tmp / "ran").string()
      << "\"]\n";
  const RunResult run = run_plumb(
      {"run", "--config", (tmp / "plumb.toml").string(), "--no-build", "--out", tmp.path().string()},
      tmp.path());
  ASSERT_FALSE(run.timed_out) << describe(run);
  EXPECT_EQ(run.exit_code, 2) << describe(run);
  EXPECT_NE(run.err.find("project root"), std::string::npos) << describe(run);
  EXPECT_FALSE(fs::exists(tmp / "ran"));
}

// plumb's own report set from an earlier run is recognised and replaced.
TEST(OutFolder, ItsOwnEarlierReportsAreReplaced) {
  PLUMB_SKIP_WHEN_NESTED();
  TempDir tmp;
  const fs::path out = tmp / "out";
  for (int round = 0; round < 2; ++round) {
    const RunResult run = exec_silent(tmp, out);
    ASSERT_FALSE(run.timed_out) << describe(run);
    ASSERT_EQ(run.exit_code, 0) << "round " << round << "\n" << describe(run);
  }
}

}  // namespace
}  // namespace plumb::faults

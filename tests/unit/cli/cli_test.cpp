// Command-line errors are usage errors (exit 2) with one line on stderr, before anything runs.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "app.hpp"

namespace plumb::cli {
namespace {

class CliTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("plumb-cli-" + std::to_string(::getpid()) + "-" +
            testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // run_cli's exit code and the lines it wrote to stderr.
  int run(const std::vector<std::string>& args) {
    testing::internal::CaptureStderr();
    const int code = run_cli(args);
    stderr_ = testing::internal::GetCapturedStderr();
    return code;
  }

  std::filesystem::path dir_;
  std::string stderr_;
};

TEST_F(CliTest, VersionNamesTheReleaseAndTheRevisionItWasBuiltFrom) {
  testing::internal::CaptureStdout();
  const int code = run({"--version"});
  const std::string out = testing::internal::GetCapturedStdout();
  EXPECT_EQ(code, 0) << stderr_;
  EXPECT_EQ(out.rfind("plumb " PLUMB_TEST_VERSION " (git ", 0), 0u) << out;
}

TEST_F(CliTest, NoSubcommandIsAUsageError) {
  EXPECT_EQ(run({}), 2);
  EXPECT_NE(stderr_.find("plumb: "), std::string::npos);
}

TEST_F(CliTest, UnknownSubcommandOrOptionIsAUsageError) {
  EXPECT_EQ(run({"frobnicate"}), 2);
  EXPECT_EQ(run({"run", "--frobnicate"}), 2);
  EXPECT_EQ(std::count(stderr_.begin(), stderr_.end(), '\n'), 1) << stderr_;
}

TEST_F(CliTest, BadOptionValuesAreUsageErrors) {
  EXPECT_EQ(run({"run", "--jobs", "0"}), 2);
  EXPECT_EQ(run({"run", "--jobs", "many"}), 2);
  EXPECT_EQ(run({"run", "--tier", "weekly"}), 2);
  EXPECT_EQ(run({"exec", "--tool", "helgrind", "--", "true"}), 2);
  EXPECT_EQ(run({"exec", "--tool", "memcheck"}), 2);  // No command.
  EXPECT_EQ(run({"exec", "--tool", "native", "--timeout", "-1", "--", "true"}), 2);
  EXPECT_EQ(run({"parse", "--tool", "helgrind", "x.log"}), 2);
  EXPECT_EQ(run({"merge", "a.json"}), 2);  // --out is required.
  EXPECT_EQ(run({"baseline"}), 2);
  EXPECT_EQ(run({"suppressions", "export"}), 2);
}

TEST_F(CliTest, HelpIsNotAnError) {
  testing::internal::CaptureStdout();
  EXPECT_EQ(run({"--help"}), 0);
  EXPECT_NE(testing::internal::GetCapturedStdout().find("exec"), std::string::npos);
}

TEST_F(CliTest, MalformedConfigIsAUsageErrorWithItsLine) {
  const std::string config = (dir_ / "bad.toml").string();
  std::ofstream(config) << "[[variant]]\nname = \"v\"\ntool = \"helgrind\"\n";
  EXPECT_EQ(run({"run", "--config", config, "--out", (dir_ / "out").string()}), 2);
  EXPECT_EQ(stderr_, "plumb: " + config +
                         ":3: unknown tool 'helgrind' (expected memcheck, massif, asan, tsan or native)\n");
  EXPECT_FALSE(std::filesystem::exists(dir_ / "out"));  // Nothing ran, nothing was written.
}

TEST_F(CliTest, UnknownVariantOrTierIsAUsageError) {
  const std::string config = (dir_ / "plumb.toml").string();
  std::ofstream(config)
      << "[[variant]]\nname = \"v\"\ntool = \"native\"\ntarget = \"true\"\n[variant.tiers.nightly]\n";
  EXPECT_EQ(run({"run", "--config", config, "--variant", "w", "--no-build"}), 2);
  EXPECT_NE(stderr_.find("no variant named 'w'"), std::string::npos) << stderr_;
  // Tiers are the config's own: pr is not one of this config's, and the message says which are.
  EXPECT_EQ(run({"run", "--config", config, "--variant", "v", "--tier", "pr", "--no-build"}), 2);
  EXPECT_NE(stderr_.find(config + ": no variant has a 'pr' tier (this config declares: nightly)"),
            std::string::npos)
      << stderr_;
  EXPECT_EQ(run({"repro", "w", "--config", config}), 2);
  EXPECT_EQ(run({"run", "--config", (dir_ / "absent.toml").string()}), 2);
}

TEST_F(CliTest, ParseOfAMissingFileIsAUsageError) {
  EXPECT_EQ(
      run({"parse", "--tool", "memcheck", (dir_ / "absent.xml").string(), "--out", (dir_ / "o").string()}),
      2);
}

TEST_F(CliTest, ReproPrintsTheCommandAndEnvironment) {
  const std::string config = (dir_ / "plumb.toml").string();
  std::ofstream(config)
      << "[[variant]]\nname = \"t\"\npreset = \"tsan\"\ntool = \"tsan\"\ntarget = \"scan_leak\"\n"
         "[variant.tiers.pr]\nargs = [\"--mode\", \"pool\"]\n";
  testing::internal::CaptureStdout();
  EXPECT_EQ(run({"repro", "t", "--config", config, "--out", (dir_ / "r").string()}), 0);
  const std::string printed = testing::internal::GetCapturedStdout();
  EXPECT_NE(printed.find("cmake --preset tsan && cmake --build --preset tsan --target scan_leak"),
            std::string::npos);
  EXPECT_NE(printed.find("TSAN_OPTIONS=log_path=" + (dir_ / "r" / "t" / "tsan").string() +
                         ":report_thread_leaks=1"),
            std::string::npos)
      << printed;
  EXPECT_NE(printed.find((dir_ / "build" / "tsan" / "bin" / "scan_leak").string() + " --mode pool --samples"),
            std::string::npos)
      << printed;
}

// Without a plumb.toml here, plumb run says how to get one.
TEST_F(CliTest, RunWithoutAConfigSaysToRunInit) {
  const std::filesystem::path before = std::filesystem::current_path();
  std::filesystem::current_path(dir_);
  const int code = run({"run", "--no-build"});
  std::filesystem::current_path(before);
  EXPECT_EQ(code, 2);
  EXPECT_NE(stderr_.find("no plumb.toml in " + dir_.string() + ": run `plumb init`"), std::string::npos)
      << stderr_;
}

// --test belongs to a CTest variant; one that runs a single program refuses it.
TEST_F(CliTest, TestOptionNeedsACtestVariant) {
  const std::string config = (dir_ / "plumb.toml").string();
  std::ofstream(config)
      << "[[variant]]\nname = \"v\"\ntool = \"native\"\ntarget = \"true\"\n[variant.tiers.pr]\n"
         "[[variant]]\nname = \"c\"\npreset = \"p\"\ntool = \"memcheck\"\nctest = true\n"
         "[variant.tiers.pr]\n";
  EXPECT_EQ(run({"repro", "v", "--test", "x", "--config", config}), 2);
  EXPECT_NE(stderr_.find("does not run a CTest suite"), std::string::npos) << stderr_;
  EXPECT_EQ(run({"run", "--variant", "v", "--test", "x", "--config", config, "--no-build"}), 2);
  EXPECT_NE(stderr_.find("does not run a CTest suite"), std::string::npos) << stderr_;
  EXPECT_EQ(run({"run", "--test", "x", "--config", config, "--no-build"}), 2);
  EXPECT_NE(stderr_.find("exactly one variant"), std::string::npos) << stderr_;
  // A CTest variant without --test: how to list its tests.
  testing::internal::CaptureStdout();
  EXPECT_EQ(run({"repro", "c", "--config", config}), 0);
  const std::string printed = testing::internal::GetCapturedStdout();
  EXPECT_NE(printed.find("plumb repro c --test NAME"), std::string::npos) << printed;
  EXPECT_NE(printed.find("ctest -N --test-dir " + (dir_ / "build" / "p").string()), std::string::npos)
      << printed;
}

TEST_F(CliTest, ExcludeTestAndLabelNeedACtestVariant) {
  const std::string config = (dir_ / "plumb.toml").string();
  std::ofstream(config) << "[[variant]]\nname = \"v\"\ntool = \"native\"\ntarget = \"true\"\n"
                           "exit_code_only = true\n[variant.tiers.pr]\n";
  EXPECT_EQ(run({"run", "--exclude-test", "slow", "--config", config, "--no-build"}), 2);
  EXPECT_NE(stderr_.find("no selected variant runs one"), std::string::npos) << stderr_;
  EXPECT_EQ(run({"run", "--label", "unit", "--config", config, "--no-build"}), 2);
  EXPECT_NE(stderr_.find("no selected variant runs one"), std::string::npos) << stderr_;
}

}  // namespace
}  // namespace plumb::cli

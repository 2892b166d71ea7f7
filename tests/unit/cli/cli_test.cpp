// Command-line errors are usage errors (exit 2) with one line on stderr, before anything runs.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "app.hpp"
#include "plumb/core/report_json.hpp"
#include "plumb/pipeline/pipeline.hpp"

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

TEST_F(CliTest, ShardIsKOfNOrAUsageError) {
  const std::string config = (dir_ / "plumb.toml").string();
  std::ofstream(config) << "[[variant]]\nname = \"v\"\ntool = \"native\"\ntarget = \"true\"\n"
                           "exit_code_only = true\n[variant.tiers.pr]\n";
  const std::string out = (dir_ / "out").string();
  for (const char* bad : {"0/3", "4/3", "3", "1/0", "a/b", "1/3/2"}) {
    EXPECT_EQ(run({"run", "--shard", bad, "--config", config, "--no-build", "--out", out}), 2) << bad;
    EXPECT_NE(stderr_.find("--shard " + std::string(bad) + ": "), std::string::npos) << stderr_;
  }
  EXPECT_EQ(run({"run", "--timings", config, "--config", config, "--no-build", "--out", out}), 2);
  EXPECT_NE(stderr_.find("give it with --shard K/N"), std::string::npos) << stderr_;
  EXPECT_EQ(run({"run", "--shard", "1/2", "--timings", (dir_ / "absent.json").string(), "--config", config,
                 "--no-build", "--out", out}),
            2);
  EXPECT_NE(stderr_.find("--timings: cannot read the report"), std::string::npos) << stderr_;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "out"));  // Nothing ran, nothing was written.
}

// The report folder of shard K/N of the one-run plan ["v"] (run by shard 1 when it holds it).
std::filesystem::path shard_folder(const std::filesystem::path& dir, int index, int count) {
  core::Report report;
  report.verdict = core::Verdict::Pass;
  report.run_id = "00000000-0000-4000-8000-00000000000" + std::to_string(index);
  report.shard.emplace();
  report.shard->index = index;
  report.shard->count = count;
  report.shard->plan = {"v"};
  // Analysed with the plumb.toml in `dir`, as the merge below is.
  const auto inputs = pipeline::analysis_inputs(pipeline::load_project_config((dir / "plumb.toml").string()));
  report.shard->plan_digest = pipeline::plan_digest({"v"}, inputs.digest);
  if (index == 1) {
    core::RecordedRun run;
    run.result.name = "v";
    run.result.tool = core::Tool::Native;
    run.result.exit_code = 0;
    run.expects_output = false;
    run.exit_code_only = true;
    report.shard->runs.push_back(run);
  }
  const std::filesystem::path folder = dir / ("shard-" + std::to_string(index) + "-of-" + std::to_string(count));
  std::filesystem::create_directories(folder);
  std::ofstream(folder / "report.json") << core::to_json(report).dump(2);
  return folder;
}

TEST_F(CliTest, MergeOfShardsThatAreNotOnePlanExitsFour) {
  const std::string config = (dir_ / "plumb.toml").string();
  std::ofstream(config) << "[[variant]]\nname = \"v\"\ntool = \"native\"\ntarget = \"true\"\n"
                           "exit_code_only = true\n[variant.tiers.pr]\n";
  const std::string one = shard_folder(dir_, 1, 3).string();
  const std::string three = shard_folder(dir_, 3, 3).string();
  const std::string out = (dir_ / "merged").string();
  EXPECT_EQ(run({"merge", one, three, "--out", out, "--config", config}), 4);
  EXPECT_NE(stderr_.find("shard 2/3 is missing"), std::string::npos) << stderr_;
  EXPECT_EQ(run({"merge", one, shard_folder(dir_, 2, 3).string(), one, three, "--out", out, "--config", config}), 4);
  EXPECT_NE(stderr_.find("shard 1/3 appears twice"), std::string::npos) << stderr_;
  EXPECT_EQ(run({"merge", one, shard_folder(dir_, 2, 2).string(), three, "--out", out, "--config", config}), 4);
  EXPECT_NE(stderr_.find("share one N"), std::string::npos) << stderr_;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "merged" / "report.json"));
  // The whole plan merges: its one run, judged by its exit code, passes.
  testing::internal::CaptureStdout();
  EXPECT_EQ(run({"merge", shard_folder(dir_, 1, 1).string(), "--out", out, "--config", config}), 0) << stderr_;
  testing::internal::GetCapturedStdout();
  EXPECT_TRUE(std::filesystem::exists(dir_ / "merged" / "report.json"));
}

}  // namespace
}  // namespace plumb::cli

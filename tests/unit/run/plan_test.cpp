// Planning: a configured variant becomes the exact command, environment and logs of one run.
#include <gtest/gtest.h>

#include "plumb/core/config.hpp"
#include "plumb/core/errors.hpp"
#include "plumb/run/plan.hpp"

namespace plumb::run {
namespace {

using Strings = std::vector<std::string>;

core::Config harness_config() {
  core::Config config = core::parse_config(R"(
[[variant]]
name = "memcheck"
preset = "valgrind"
tool = "memcheck"
target = "scan_leak"
env = { EXTRA = "1" }
[variant.tiers.pr]
args = ["--iterations", "5", "--snapshot-dir", "{out}/snaps"]
timeout_s = 30

[[variant]]
name = "massif"
preset = "valgrind"
tool = "massif"
target = "scan_leak"
[variant.tiers.pr]
args = ["--samples", "{samples}"]

[[variant]]
name = "tool"
tool = "native"
target = "scripts/check.sh"
[variant.tiers.nightly]
args = ["{root}/data", "{out}"]
)",
                                           "plumb.toml");
  config.root = "/src";
  return config;
}

TEST(Plan, AVariantRunsInItsOwnWorkingDirectory) {
  core::Config config = core::parse_config(
      "[[variant]]\nname = \"t\"\ntool = \"native\"\ntarget = \"bin/t\"\ncwd = \"tests/./inputs\"\n"
      "[variant.tiers.pr]\n",
      "plumb.toml");
  config.root = "/src";
  EXPECT_EQ(plan_variant(config, config.variants[0], "pr", "/reports").spec.cwd, "/src/tests/inputs");
}

// The executable where CMake put it: program is relative to the preset's build tree.
TEST(Plan, AProgramPathIsFoundInThePresetsBuildTree) {
  core::Config config = core::parse_config(
      "[[variant]]\nname = \"t\"\npreset = \"dbg\"\ntool = \"memcheck\"\ntarget = \"cjson_test\"\n"
      "program = \"tests/../tests/cjson_test\"\n[variant.tiers.pr]\n",
      "plumb.toml");
  config.root = "/src";
  EXPECT_EQ(variant_program(config, config.variants[0]), "/src/build/dbg/tests/cjson_test");
  EXPECT_EQ(plan_variant(config, config.variants[0], "pr", "/reports").spec.target,
            "/src/build/dbg/tests/cjson_test");
  config.variants[0].program.clear();
  EXPECT_EQ(variant_program(config, config.variants[0]), "/src/build/dbg/bin/cjson_test");
}

// A guessed program (bin/<target>) is moved to where CMake's file API says the target went.
TEST(Plan, ARelocatedProgramChangesTheCommandAndItsRepro) {
  core::Config config = core::parse_config(
      "[[variant]]\nname = \"t\"\npreset = \"dbg\"\ntool = \"memcheck\"\ntarget = \"unit\"\n"
      "[variant.tiers.pr]\nargs = [\"--x\"]\n",
      "plumb.toml");
  config.root = "/src";
  PlannedRun plan = plan_variant(config, config.variants[0], "pr", "/reports");
  EXPECT_EQ(plan.cmake_target, "unit");
  EXPECT_EQ(plan.build_tree, "/src/build/dbg");
  relocate_program(plan, "/src/build/dbg/tests/unit");
  EXPECT_EQ(plan.spec.target, "/src/build/dbg/tests/unit");
  EXPECT_EQ(plan.spec.argv[plan.spec.argv.size() - 2], "/src/build/dbg/tests/unit");
  EXPECT_EQ(plan.spec.argv.back(), "--x");
  EXPECT_EQ(plan.command.find("/bin/unit"), std::string::npos) << plan.command;
  EXPECT_NE(plan.repro.find("/src/build/dbg/tests/unit --x"), std::string::npos) << plan.repro;
}

TEST(Plan, HarnessVariantGetsItsBinaryPlaceholdersAndSamples) {
  const core::Config config = harness_config();
  const PlannedRun plan = plan_variant(config, config.variants[0], "pr", "/reports");
  EXPECT_EQ(plan.out_dir, "/reports/memcheck");
  EXPECT_EQ(plan.timeout_s, 30);
  EXPECT_EQ(plan.spec.cwd, "/src");
  EXPECT_EQ(plan.spec.stdout_path, "/reports/memcheck/stdout.log");
  const Strings tail(plan.spec.argv.end() - 7, plan.spec.argv.end());
  EXPECT_EQ(tail, (Strings{"/src/build/valgrind/bin/scan_leak", "--iterations", "5", "--snapshot-dir",
                           "/reports/memcheck/snaps", "--samples", "/reports/memcheck/samples.jsonl"}));
  EXPECT_EQ(plan.spec.argv.front(), "valgrind");
  EXPECT_EQ(plan.spec.env.at("EXTRA"), "1");
  ASSERT_GE(plan.logs.size(), 3u);
  EXPECT_EQ(plan.logs[0].format, core::LogFormat::Memcheck);
  const bool has_samples = std::any_of(plan.logs.begin(), plan.logs.end(), [](const LogSpec& spec) {
    return spec.format == core::LogFormat::Samples && spec.required && log_matches(spec, "samples.jsonl");
  });
  EXPECT_TRUE(has_samples);
  EXPECT_NE(plan.repro.find("cd /src && EXTRA=1 valgrind --tool=memcheck"), std::string::npos) << plan.repro;
  EXPECT_EQ(plan.command.rfind("valgrind --tool=memcheck", 0), 0u);
}

TEST(Plan, MassifHarnessGetsASnapshotFolderAndKeepsExplicitSamples) {
  const core::Config config = harness_config();
  const PlannedRun plan = plan_variant(config, config.variants[1], "pr", "/reports");
  const Strings tail(plan.spec.argv.end() - 5, plan.spec.argv.end());
  EXPECT_EQ(tail, (Strings{"/src/build/valgrind/bin/scan_leak", "--samples", "/reports/massif/samples.jsonl",
                           "--snapshot-dir", "/reports/massif/snapshots"}));
  EXPECT_DOUBLE_EQ(plan.timeout_s, 900);
}

TEST(Plan, PresetlessTargetIsRelativeToTheRoot) {
  const core::Config config = harness_config();
  const PlannedRun plan = plan_variant(config, config.variants[2], "nightly", "/reports");
  EXPECT_EQ(plan.spec.argv, (Strings{"/src/scripts/check.sh", "/src/data", "/reports/tool"}));
  EXPECT_TRUE(plan.spec.env.empty());
  EXPECT_EQ(plan.logs.size(), 2u);  // stdout and stderr only.
}

TEST(Plan, MissingTierIsAUsageErrorAtTheVariant) {
  const core::Config config = harness_config();
  try {
    plan_variant(config, config.variants[2], "pr", "/reports");
    ADD_FAILURE() << "no error";
  } catch (const core::UsageError& error) {
    EXPECT_EQ(std::string(error.what()), "plumb.toml:20: variant 'tool' has no tier 'pr'");
  }
}

TEST(Plan, CommandRunsInTheCurrentDirectory) {
  const PlannedRun plan = plan_command("exec", core::Tool::Tsan, {"./a.out"}, 5, "/r", "");
  EXPECT_EQ(plan.spec.argv, Strings{"./a.out"});
  EXPECT_EQ(plan.spec.env.at("TSAN_OPTIONS").rfind("log_path=/r/exec/tsan:", 0), 0u);
  EXPECT_EQ(plan.spec.cwd, std::filesystem::current_path());
  EXPECT_THROW(plan_command("exec", core::Tool::Tsan, {}, 5, "/r", ""), core::UsageError);
}

}  // namespace
}  // namespace plumb::run

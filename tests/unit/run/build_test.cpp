// Preset builds: configure once when needed, build each preset once, fail with the log path.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "plumb/core/config.hpp"
#include "plumb/core/errors.hpp"
#include "plumb/run/build.hpp"
#include "fake_runner.hpp"

namespace plumb::run {
namespace {

using Strings = std::vector<std::string>;

class BuildTest : public testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("plumb-build-" + std::to_string(::getpid()) + "-" +
             testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(root_ / "build" / "asan");
    std::ofstream(root_ / "build" / "asan" / "CMakeCache.txt") << "";
    config_ = core::parse_config(R"(
[[variant]]
name = "a"
preset = "asan"
tool = "asan"
target = "scan_leak"
[variant.tiers.pr]
[[variant]]
name = "a2"
preset = "asan"
tool = "asan"
target = "other"
[variant.tiers.pr]
[[variant]]
name = "m"
preset = "valgrind"
tool = "memcheck"
target = "scan_leak"
[variant.tiers.pr]
[[variant]]
name = "n"
tool = "native"
target = "true"
[variant.tiers.pr]
)",
                                 "plumb.toml");
    config_.root = root_;
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  std::vector<BuildRequest> all_requests() const {
    std::vector<const core::VariantConfig*> variants;
    for (const auto& variant : config_.variants) {
      variants.push_back(&variant);
    }
    return build_requests(variants);
  }

  std::filesystem::path root_;
  core::Config config_;
};

TEST_F(BuildTest, OnePerPresetWithEveryTarget) {
  const auto requests = all_requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].preset, "asan");
  EXPECT_EQ(requests[0].targets, (std::set<std::string>{"other", "scan_leak"}));
  EXPECT_EQ(requests[1].preset, "valgrind");
}

// The programs the builds leave where plumb looks first: <tree>/bin/<target>.
void leave_programs(const std::filesystem::path& root) {
  for (const char* program : {"asan/bin/scan_leak", "asan/bin/other", "valgrind/bin/scan_leak"}) {
    std::filesystem::create_directories((root / "build" / program).parent_path());
    std::ofstream(root / "build" / program) << "";
  }
}

TEST_F(BuildTest, ConfiguresOnlyUnconfiguredPresets) {
  leave_programs(root_);
  FakeRunner runner([](const ProcessSpec&) { return FakeBehaviour{}; });
  build_presets(runner, config_, all_requests(), root_, nullptr, {});
  ASSERT_EQ(runner.started().size(), 3u);
  EXPECT_EQ(runner.started()[0].argv,
            (Strings{"cmake", "--build", "--preset", "asan", "--parallel", std::to_string(build_jobs()), "--target",
                     "other", "scan_leak"}));
  EXPECT_EQ(runner.started()[1].argv, (Strings{"cmake", "--preset", "valgrind"}));
  EXPECT_EQ(runner.started()[2].argv,
            (Strings{"cmake", "--build", "--preset", "valgrind", "--parallel", std::to_string(build_jobs()),
                     "--target", "scan_leak"}));
  EXPECT_EQ(runner.started()[2].cwd, root_);
  EXPECT_EQ(runner.started()[2].stdout_path, root_ / "build-valgrind.log");
}

// Every build asks CMake's file API to say where executables go; a tree that was configured
// before plumb asked, whose program is not at bin/<target>, is configured once more to answer.
TEST_F(BuildTest, AProgramNotAtBinIsLookedUpThroughTheFileApi) {
  FakeRunner runner([](const ProcessSpec&) { return FakeBehaviour{}; });
  BuildRequest request{"asan", {"scan_leak"}};
  build_presets(runner, config_, {request}, root_, nullptr, {});
  EXPECT_TRUE(std::filesystem::exists(root_ / "build/asan/.cmake/api/v1/query/codemodel-v2"));
  ASSERT_EQ(runner.started().size(), 2u);
  EXPECT_EQ(runner.started()[1].argv, (Strings{"cmake", (root_ / "build" / "asan").string()}));
  EXPECT_EQ(runner.started()[1].stdout_path, root_ / "reconfigure-asan.log");
  // With a reply there, nothing more runs.
  std::filesystem::create_directories(root_ / "build/asan/.cmake/api/v1/reply");
  std::ofstream(root_ / "build/asan/.cmake/api/v1/reply/index-2026-01-01T00-00-00-0000.json") << "{}";
  FakeRunner again([](const ProcessSpec&) { return FakeBehaviour{}; });
  build_presets(again, config_, {request}, root_, nullptr, {});
  EXPECT_EQ(again.started().size(), 1u);
}

TEST_F(BuildTest, FailedBuildNamesItsLog) {
  FakeRunner runner([](const ProcessSpec&) {
    FakeBehaviour behaviour;
    behaviour.exit_code = 1;
    return behaviour;
  });
  const auto failures = build_presets(runner, config_, all_requests(), root_, nullptr, {});
  // Every preset is tried; each failure names its own log.
  ASSERT_EQ(failures.size(), all_requests().size());
  EXPECT_EQ(failures[0].preset, "asan");
  EXPECT_NE(failures[0].message.find((root_ / "build-asan.log").string()), std::string::npos)
      << failures[0].message;
  EXPECT_EQ(failures[0].log, root_ / "build-asan.log");
}

TEST_F(BuildTest, MissingCmakeFailsEveryPreset) {
  FakeRunner runner([](const ProcessSpec&) {
    FakeBehaviour behaviour;
    behaviour.fails_to_start = true;
    return behaviour;
  });
  const auto failures = build_presets(runner, config_, all_requests(), root_, nullptr, {});
  ASSERT_EQ(failures.size(), all_requests().size());
  EXPECT_NE(failures[0].message.find("cannot run cmake"), std::string::npos) << failures[0].message;
}

}  // namespace
}  // namespace plumb::run

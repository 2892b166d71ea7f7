// plumb run end to end on the harness: a clean variant passes, a planted defect fails the gate
// with the right kind and the planting function in the top frame.
#include "plumb_it.hpp"

namespace plumb::integration {
namespace {

using nlohmann::json;

// A config with one native clean variant and one memcheck variant with a planted direct leak.
std::string harness_config() {
  const std::string target = SCAN_LEAK_EXE;
  return R"([[variant]]
name = "clean"
tool = "native"
target = ")" +
         target + R"("
[variant.tiers.pr]
args = ["--mode", "batch", "--announcements", "20", "--iterations", "20"]
timeout_s = 120

[[variant]]
name = "planted"
tool = "memcheck"
target = ")" +
         target + R"("
[variant.tiers.pr]
args = ["--mode", "batch", "--announcements", "10", "--iterations", "3", "--no-snapshots", "--inject", "leak-direct"]
timeout_s = 240
)";
}

TEST(PlumbRun, CleanHarnessVariantPasses) {
  if (const auto why = skip_reason(); !why.empty()) {
    GTEST_SKIP() << why;
  }
  ScratchDir scratch;
  std::ofstream(scratch.path() / "plumb.toml") << harness_config();
  const PlumbRun run = run_plumb(
      {"run", "--config", "plumb.toml", "--no-build", "--variant", "clean", "--out", "out"}, scratch.path());
  EXPECT_EQ(run.exit_code, 0) << run.stderr_text << run.stdout_text;
  const json report = read_report(scratch.path() / "out");
  EXPECT_EQ(report["verdict"], "pass");
  EXPECT_EQ(report["variants"][0]["status"], "ok");
  EXPECT_TRUE(report["findings"].empty()) << report["findings"].dump(2);
  EXPECT_FALSE(report["growth"].empty());
  EXPECT_NE(run.stderr_text.find("[1/1] clean finished: ok"), std::string::npos) << run.stderr_text;
}

TEST(PlumbRun, PlantedLeakFailsWithItsKindAndFunction) {
  if (const auto why = skip_reason(); !why.empty()) {
    GTEST_SKIP() << why;
  }
  if (!on_path("valgrind")) {
    GTEST_SKIP() << "valgrind is not installed";
  }
  ScratchDir scratch;
  std::ofstream(scratch.path() / "plumb.toml") << harness_config();
  const PlumbRun run =
      run_plumb({"run", "--config", "plumb.toml", "--no-build", "--variant", "planted", "--out", "out"},
                scratch.path());
  EXPECT_EQ(run.exit_code, 1) << run.stderr_text << run.stdout_text;
  const json report = read_report(scratch.path() / "out");
  EXPECT_EQ(report["verdict"], "fail");
  bool found = false;
  for (const json& finding : report["findings"]) {
    if (finding["kind"] == "leak.definite" && finding["status"] == "new") {
      found = true;
      ASSERT_FALSE(finding["frames"].empty());
      EXPECT_EQ(finding["frames"][0]["function"], "plumb::harness::plant_direct_leak()") << finding.dump(2);
      EXPECT_EQ(finding["bytes"], 96);
    }
  }
  EXPECT_TRUE(found) << report["findings"].dump(2);
}

}  // namespace
}  // namespace plumb::integration

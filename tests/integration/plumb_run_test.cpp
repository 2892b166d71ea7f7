// plumb run end to end on the harness: a clean variant passes, a planted defect fails the gate
// with the right kind and the planting function in the top frame.
#include <csignal>
#include <thread>

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

// Lines of `path` that end in a newline, in order (a half-written last line is left out).
std::vector<std::string> complete_lines(const std::filesystem::path& path) {
  std::vector<std::string> lines;
  const std::string text = read_file(path);
  std::size_t begin = 0;
  for (std::size_t end = text.find('\n'); end != std::string::npos; end = text.find('\n', begin)) {
    lines.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return lines;
}

// The seed's worry: the harness is OOM-killed (here SIGKILL) mid-run. Every sample taken before
// the kill is in the file, and plumb judges the growth over them: the planted leak still fails,
// and the run is an error (incomplete), never a pass.
TEST(PlumbRun, HarnessKilledMidRunKeepsEverySampleAndItsGrowthVerdict) {
  if (const auto why = skip_reason(); !why.empty()) {
    GTEST_SKIP() << why;
  }
  ScratchDir scratch;
  const std::string seed = std::to_string(700000 + ::getpid());  // marks our scan_leak in /proc
  std::ofstream(scratch.path() / "plumb.toml") << R"([[variant]]
name = "killed"
tool = "native"
target = ")" + std::string(SCAN_LEAK_EXE) + R"("
[variant.tiers.pr]
args = ["--mode", "batch", "--announcements", "50", "--iterations", "100000000", "--sample-every", "10",
        "--warmup", "10", "--seed", ")" + seed + R"(", "--inject", "leak-per-iter=512", "--progress",
        "--progress-every", "0.1"]
timeout_s = 120
)";
  auto plumb = start_plumb({"run", "--config", "plumb.toml", "--no-build", "--out", "out"}, scratch.path());
  const std::filesystem::path samples = scratch.path() / "out" / "killed" / "samples.jsonl";
  for (int attempt = 0; attempt < 1200 && complete_lines(samples).size() < 41; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  // Kill the harness itself, as the OOM killer would; plumb lives on and reports.
  int killed = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string cmdline = read_file(entry.path() / "cmdline");
    if (cmdline.find("scan_leak") != std::string::npos && cmdline.find(seed) != std::string::npos) {
      killed += ::kill(std::stoi(entry.path().filename().string()), SIGKILL) == 0 ? 1 : 0;
    }
  }
  ASSERT_EQ(killed, 1);
  const auto exit = run::wait_for(*plumb, std::chrono::seconds(60));
  ASSERT_TRUE(exit.has_value());
  EXPECT_EQ(exit->exit_code, 3) << read_file(scratch.path() / "plumb.stderr");

  // Flushed: every line in the file is a whole record, and at least the 40 samples we waited for.
  const std::vector<std::string> lines = complete_lines(samples);
  ASSERT_GE(lines.size(), 41u);
  EXPECT_EQ(read_file(samples).back(), '\n');
  for (const std::string& line : lines) {
    EXPECT_FALSE(json::parse(line, nullptr, false).is_discarded()) << line;
  }
  EXPECT_NE(read_file(scratch.path() / "out" / "killed" / "stderr.log").find("scan_leak: progress "),
            std::string::npos);

  const json report = read_report(scratch.path() / "out");
  EXPECT_EQ(report["verdict"], "error");
  const json& variant = report["variants"][0];
  EXPECT_EQ(variant["status"], "incomplete");  // killed, its samples file cut short
  EXPECT_NE(variant["errors"].dump().find("growth judged by plumb over the samples up to iteration"),
            std::string::npos)
      << variant["errors"].dump();
  bool heap_fails = false;
  for (const json& series : report["growth"]) {
    if (series["metric"] == "heap") {
      heap_fails = series["verdict"] == "fail" && series["gating"] == true;
      EXPECT_GE(series["samples"].size(), 40u);
      EXPECT_NEAR(series["slope_per_iteration"].get<double>(), 512, 64) << series.dump();
    }
  }
  EXPECT_TRUE(heap_fails) << report["growth"].dump();
}

}  // namespace
}  // namespace plumb::integration

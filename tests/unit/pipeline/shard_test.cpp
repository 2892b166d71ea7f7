// plumb run --shard K/N and plumb merge: the N shard reports merged are the unsharded run's report,
// field by field (findings, fingerprints, shares, variants, growth, reasons, verdict, exit code),
// on the example consumer (three CTest suites, a run per test) and on this repository's pr tier
// (one run per variant), with the fake runner replaying real logs; and a merge that is not one
// whole plan is refused.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "plumb/analyze/gate.hpp"
#include "plumb/core/config.hpp"
#include "plumb/core/errors.hpp"
#include "plumb/core/report_json.hpp"
#include "plumb/pipeline/pipeline.hpp"
#include "plumb/pipeline/shard.hpp"
#include "fake_runner.hpp"

namespace plumb::pipeline {
namespace {

using run::FakeBehaviour;
using run::ProcessSpec;

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string golden(const std::string& relative) {
  return read(std::filesystem::path(PLUMB_GOLDEN_DIR) / relative);
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

// The value of `--name=VALUE` in argv, or of the argument after `name`.
std::string argument(const ProcessSpec& spec, const std::string& name) {
  for (std::size_t i = 0; i < spec.argv.size(); ++i) {
    if (spec.argv[i].rfind(name + "=", 0) == 0) {
      return spec.argv[i].substr(name.size() + 1);
    }
    if (spec.argv[i] == name && i + 1 < spec.argv.size()) {
      return spec.argv[i + 1];
    }
  }
  return "";
}

// The logs each tool leaves for one run, keyed by "<variant>" or "<suite>/<NN-test>" (the run's
// folder below the report folder); a run not listed leaves the tool's clean log.
struct Scenario {
  std::map<std::string, std::string> logs;
  std::map<std::string, int> exit_codes;
  std::string listing;  // What ctest lists; empty: the example consumer's five tests.
};

// What the fake does for a run: cmake and ctest as in a built tree, every tool writing its log
// where plumb told it to (real logs of the real tools, tests/golden).
FakeBehaviour play(const ProcessSpec& spec, const Scenario& scenario) {
  FakeBehaviour behaviour;
  if (spec.argv.at(0) == "cmake") {
    return behaviour;
  }
  if (spec.argv.at(0) == "ctest") {
    std::string listing = scenario.listing.empty() ? golden("ctest/consumer-listing.json") : scenario.listing;
    replace_all(listing, "build/golden", spec.cwd.string());
    replace_all(listing, "examples/consumer", (spec.cwd.parent_path().parent_path() / "src").string());
    behaviour.files[spec.stdout_path.string()] = listing;
    return behaviour;
  }
  const std::filesystem::path dir = spec.stdout_path.parent_path();
  const std::string suite = dir.parent_path().filename().string();
  std::string key = dir.filename().string();
  if (const auto test = scenario.logs.find(suite + "/" + key); test != scenario.logs.end()) {
    key = suite + "/" + key;
  }
  const auto planted = scenario.logs.find(key);
  const auto log = [&](const std::string& clean) { return planted == scenario.logs.end() ? clean : planted->second; };
  if (std::string xml = argument(spec, "--xml-file"); !xml.empty()) {
    replace_all(xml, "%p", "4242");
    behaviour.files[xml] = log(golden("memcheck/clean.xml"));
  } else if (std::string massif = argument(spec, "--massif-out-file"); !massif.empty()) {
    replace_all(massif, "%p", "4242");
    behaviour.files[massif] = log(golden("massif/registry.massif.out"));
  } else if (spec.env.count("ASAN_OPTIONS") != 0) {
    behaviour.files[(dir / "asan.4242").string()] = log("AddressSanitizer exit stats:\n");
  } else if (spec.env.count("TSAN_OPTIONS") != 0) {
    behaviour.files[(dir / "tsan.4242").string()] = log("***** Running under ThreadSanitizer v3 (pid 4242) *****\n");
  }
  if (const std::string samples = argument(spec, "--samples"); !samples.empty()) {
    const auto planted_samples = scenario.logs.find(key + "#samples");
    behaviour.files[samples] = planted_samples == scenario.logs.end() ? golden("samples/scan_leak-clean.jsonl")
                                                                      : planted_samples->second;
  }
  if (const auto code = scenario.exit_codes.find(key); code != scenario.exit_codes.end()) {
    behaviour.exit_code = code->second;
  }
  return behaviour;
}

// The example consumer's three suites with planted findings: a leak two memcheck tests share (a
// finding with two shares), ASan's leak in one test, TSan's race in another.
Scenario consumer_scenario() {
  Scenario scenario;
  scenario.logs["memcheck/02-merge"] = golden("memcheck/leak.xml");
  scenario.logs["memcheck/05-file"] = golden("memcheck/leak.xml");
  scenario.logs["asan/03-top"] = golden("asan/leak.log") + "AddressSanitizer exit stats:\n";
  scenario.exit_codes["asan/03-top"] = 23;
  scenario.logs["tsan/04-threads"] = golden("tsan/race.log");
  return scenario;
}

// This repository's pr tier: every canary catches its planted defect, the rest is clean.
Scenario repository_scenario() {
  Scenario scenario;
  scenario.logs["native-canary#samples"] = golden("samples/scan_leak-leak-per-iter.jsonl");
  scenario.logs["memcheck-canary"] = golden("memcheck/leak.xml");
  scenario.logs["asan-canary"] = golden("asan/leak.log") + "AddressSanitizer exit stats:\n";
  scenario.exit_codes["asan-canary"] = 23;
  scenario.logs["tsan-canary"] = golden("tsan/thread_leak.log");
  scenario.logs["massif-canary"] = golden("massif/grow.massif.out");
  return scenario;
}

class Sharding : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("plumb-shard-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(root_);
    for (const char* preset : {"plumb-valgrind", "plumb-asan", "plumb-tsan", "release", "asan", "tsan", "valgrind"}) {
      std::filesystem::create_directories(root_ / "build" / preset);
      std::ofstream(root_ / "build" / preset / "CMakeCache.txt").flush();  // configured: built, not configured
    }
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  // The config at `source` (relative to the repository), rooted in the test's folder.
  core::Config load(const std::string& source, const std::string& keep_only = "") {
    core::Config config =
        core::parse_config(read(std::filesystem::path(PLUMB_SOURCE_DIR) / source), (root_ / "plumb.toml").string());
    config.root = root_;
    if (!keep_only.empty()) {
      std::erase_if(config.variants, [&](const core::VariantConfig& v) { return v.name != keep_only; });
    }
    return config;
  }

  analyze::AnalysisInputs inputs() const {
    analyze::AnalysisInputs in;
    in.generated_at = "2026-01-01T00:00:00Z";
    in.run_id = "00000000-0000-4000-8000-000000000001";
    in.plumb_version = "0.0.0-test";
    in.source_root = root_;
    return in;
  }

  // Runs the config's pr tier (one shard of it when `shard` is given) into root/<out>, writes the
  // report set; returns the report as read back from report.json and the exit code.
  std::pair<core::Report, int> run(const core::Config& config, const Scenario& scenario, const std::string& out,
                                   std::optional<ShardRequest> shard = std::nullopt) {
    Plan plan;
    plan.out_dir = root_ / out;
    plan.config = &config;
    plan.inputs = inputs();
    plan.shard = std::move(shard);
    std::vector<const core::VariantConfig*> variants;
    for (const auto& variant : config.variants) {
      if (variant.tiers.count("pr") != 0) {
        variants.push_back(&variant);
        plan.runs.push_back(run::plan_variant(config, variant, "pr", plan.out_dir));
      }
    }
    plan.builds = run::build_requests(variants);
    std::filesystem::create_directories(plan.out_dir);
    run::FakeRunner runner([&](const ProcessSpec& spec) { return play(spec, scenario); });
    Hooks hooks;
    hooks.poll_interval = std::chrono::milliseconds(1);
    std::ostringstream terminal;
    const int code = publish(execute(plan, runner, hooks), plan.out_dir, terminal, false);
    terminal_ = terminal.str();
    std::ifstream in(plan.out_dir / "report.json");
    return {core::read_report(in, out), code};
  }

  // The N shards of the config's plan, each run into root/<prefix>-K, merged as plumb merge merges
  // their folders; returns the merged report and its exit code.
  std::pair<core::Report, int> sharded(const core::Config& config, const Scenario& scenario, int count,
                                       const std::map<std::string, double>& timings = {}) {
    std::vector<MergeInput> shards;
    std::set<std::string> ran;
    std::size_t planned = 0;
    for (int k = 1; k <= count; ++k) {
      const std::string out = "shard-" + std::to_string(count) + "-" + std::to_string(k);
      auto [report, code] = run(config, scenario, out, ShardRequest{{k, count}, timings, timings.empty() ? "" : "t"});
      EXPECT_TRUE(report.shard.has_value());
      EXPECT_EQ(report.shard->index, k);
      EXPECT_EQ(report.shard->count, count);
      EXPECT_EQ(report.variants.size(), report.shard->runs.size());
      EXPECT_NE(terminal_.find("shard " + std::to_string(k) + "/" + std::to_string(count)), std::string::npos)
          << terminal_;
      planned = report.shard->plan.size();
      for (const auto& variant : report.variants) {
        EXPECT_TRUE(ran.insert(variant.name).second) << variant.name << " ran in two shards";
      }
      if (report.shard->runs.empty()) {
        // A shard given nothing is valid, passes, and says why.
        EXPECT_EQ(code, 0);
        EXPECT_NE(terminal_.find("none of the " + std::to_string(planned) + " planned runs"), std::string::npos)
            << terminal_;
        EXPECT_NE(read(root_ / out / "junit.xml").find("none of the"), std::string::npos);
        EXPECT_NE(read(root_ / out / "report.html").find("none of the"), std::string::npos);
        ++empty_shards_;
      }
      shards.push_back({report, root_ / out, out});
    }
    EXPECT_EQ(ran.size(), planned) << "every planned run runs in exactly one shard";
    const std::filesystem::path merged_dir = root_ / ("merged-" + std::to_string(count));
    std::filesystem::create_directories(merged_dir);
    std::ostringstream terminal;
    const int code = publish(merge_shards(std::move(shards), inputs(), merged_dir), merged_dir, terminal, false);
    std::ifstream in(merged_dir / "report.json");
    core::Report merged = core::read_report(in, "merged");
    // The merged report links each log where its shard wrote it.
    for (const auto& variant : merged.variants) {
      for (const std::string& log : variant.logs) {
        EXPECT_TRUE(std::filesystem::exists(merged_dir / log)) << log;
      }
    }
    return {merged, code};
  }

  std::filesystem::path root_;
  std::string terminal_;
  int empty_shards_ = 0;
};

// Field by field: every field of report.json but the run's id, its time, run durations and where
// the logs are linked from (the shards' folders).
void expect_same_report(const core::Report& whole, int whole_code, const core::Report& merged, int merged_code,
                        const std::string& what) {
  EXPECT_EQ(whole_code, merged_code) << what;
  // A run's command names its report folder: each shard's own here, one --out on every CI machine.
  const auto same_folder = [](const core::Report& report) {
    const std::regex folder("/(whole|shard-[0-9]+-[0-9]+|whole-[a-z]+|[a-z]+-[0-9]+)/");
    return nlohmann::json::parse(std::regex_replace(core::to_json(report).dump(), folder, "/@OUT@/"));
  };
  nlohmann::json a = same_folder(whole);
  nlohmann::json b = same_folder(merged);
  for (nlohmann::json* document : {&a, &b}) {
    for (const char* volatile_key : {"run_id", "generated_at", "shard"}) {
      document->erase(volatile_key);
    }
    for (auto& variant : (*document)["variants"]) {
      variant.erase("duration_s");
      variant.erase("logs");
    }
  }
  ASSERT_EQ(a["variants"].size(), b["variants"].size()) << what;
  for (std::size_t i = 0; i < a["variants"].size(); ++i) {
    EXPECT_EQ(a["variants"][i], b["variants"][i]) << what << ": variant " << i;
  }
  ASSERT_EQ(a["findings"].size(), b["findings"].size()) << what;
  for (std::size_t i = 0; i < a["findings"].size(); ++i) {
    EXPECT_EQ(a["findings"][i]["fingerprint"], b["findings"][i]["fingerprint"]) << what << ": finding " << i;
    EXPECT_EQ(a["findings"][i].value("shares", nlohmann::json()), b["findings"][i].value("shares", nlohmann::json()))
        << what << ": finding " << i;
    EXPECT_EQ(a["findings"][i], b["findings"][i]) << what << ": finding " << i;
  }
  for (auto it = a.begin(); it != a.end(); ++it) {
    EXPECT_EQ(it.value(), b[it.key()]) << what << ": field " << it.key();
  }
  EXPECT_EQ(a.size(), b.size()) << what;
}

TEST_F(Sharding, MergedShardsOfTheExampleConsumerAreTheUnshardedRun) {
  const core::Config config = load("examples/consumer/plumb.toml");
  const Scenario scenario = consumer_scenario();
  const auto [whole, whole_code] = run(config, scenario, "whole");
  // What is compared is worth comparing: a failing run with a finding two tests share.
  ASSERT_EQ(whole_code, 1) << terminal_;
  ASSERT_EQ(whole.variants.size(), 15U);
  EXPECT_FALSE(whole.shard.has_value());
  EXPECT_TRUE(std::any_of(whole.findings.begin(), whole.findings.end(),
                          [](const core::Finding& f) { return f.shares.size() == 2; }));
  for (const int count : {1, 2, 3, 7}) {  // 7: more shards than a suite has tests
    const auto [merged, code] = sharded(config, scenario, count);
    expect_same_report(whole, whole_code, merged, code, "N=" + std::to_string(count));
  }
}

TEST_F(Sharding, OneSuiteOverMoreShardsThanTestsLeavesEmptyShardsThatMergeTheSame) {
  const core::Config config = load("examples/consumer/plumb.toml", "memcheck");
  const Scenario scenario = consumer_scenario();
  const auto [whole, whole_code] = run(config, scenario, "whole");
  ASSERT_EQ(whole.variants.size(), 5U);
  for (const int count : {1, 2, 3, 7}) {
    const auto [merged, code] = sharded(config, scenario, count);
    expect_same_report(whole, whole_code, merged, code, "N=" + std::to_string(count));
  }
  EXPECT_EQ(empty_shards_, 2);  // shards 6/7 and 7/7
}

TEST_F(Sharding, TheRepositoryPrTierShardsByVariant) {
  const core::Config config = load("plumb.toml");
  const Scenario scenario = repository_scenario();
  const auto [whole, whole_code] = run(config, scenario, "whole");
  ASSERT_GE(whole.variants.size(), 10U);
  for (const auto& variant : whole.variants) {
    EXPECT_TRUE(variant.suite.empty()) << variant.name;  // variants are the unit here
  }
  for (const int count : {1, 2, 3, 7}) {
    const auto [merged, code] = sharded(config, scenario, count);
    expect_same_report(whole, whole_code, merged, code, "N=" + std::to_string(count));
  }
}

TEST_F(Sharding, TimingsBalanceBySecondsAndStillMergeTheSame) {
  const core::Config config = load("examples/consumer/plumb.toml");
  const Scenario scenario = consumer_scenario();
  const auto [whole, whole_code] = run(config, scenario, "whole");
  // memcheck tests are slow: with timings, one shard takes most memcheck tests alone.
  std::map<std::string, double> timings;
  for (const auto& variant : whole.variants) {
    timings[variant.name] = variant.suite == "memcheck" ? 40.0 : 1.0;
  }
  timings.erase("tsan/file");  // a run the earlier report does not know counts as their mean
  const auto [merged, code] = sharded(config, scenario, 2, timings);
  expect_same_report(whole, whole_code, merged, code, "timings N=2");
  std::ifstream in(root_ / "shard-2-1" / "report.json");
  const core::Report first = core::read_report(in, "shard 1");
  EXPECT_EQ(first.shard->balance, core::ShardBalance::Timings);
  EXPECT_EQ(first.shard->timings_run_id, "t");
  // 5 x 40 s and 10 x 1 s (one of them the mean, 14 s): longest first gives shard 1 three memcheck
  // tests (120 s) and shard 2 two (80 s) and the ten short ones.
  std::size_t memcheck_runs = 0;
  for (const auto& variant : first.variants) {
    memcheck_runs += variant.suite == "memcheck" ? 1 : 0;
  }
  EXPECT_EQ(memcheck_runs, 3U);
}

TEST_F(Sharding, AMatrixOfToolsTimesShardsMergesAsTheMatrixOfWholeRuns) {
  const Scenario scenario = consumer_scenario();
  std::vector<MergeInput> matrix;
  std::vector<MergeInput> whole;
  for (const auto& [variant, count] : std::vector<std::pair<std::string, int>>{{"memcheck", 3}, {"asan", 2}}) {
    const core::Config config = load("examples/consumer/plumb.toml", variant);
    whole.push_back({run(config, scenario, "whole-" + variant).first, root_ / ("whole-" + variant), variant});
    for (int k = 1; k <= count; ++k) {
      const std::string out = variant + "-" + std::to_string(k);
      matrix.push_back({run(config, scenario, out, ShardRequest{{k, count}, {}, ""}).first, root_ / out, out});
    }
  }
  const core::Report expected = merge_reports(whole, inputs(), root_ / "merged");
  const core::Report merged = merge_reports(matrix, inputs(), root_ / "merged");
  ASSERT_EQ(merged.variants.size(), 10U);
  expect_same_report(expected, analyze::exit_code(expected), merged, analyze::exit_code(merged), "matrix");
  // A tool's shard missing from the matrix is refused.
  matrix.pop_back();
  EXPECT_THROW(merge_reports(matrix, inputs(), root_ / "merged"), core::ShardMismatch);
}

TEST_F(Sharding, AFixturesSetupTestsAndCleanupRunOnOneShard) {
  const core::Config config = load("examples/consumer/plumb.toml", "memcheck");
  Scenario scenario;
  const auto test = [](const std::string& name, const std::string& fixture_property) {
    return R"({"name": ")" + name + R"(", "command": ["build/golden/test_count"], "properties": [)" +
           (fixture_property.empty() ? "" : R"({"name": ")" + fixture_property + R"(", "value": ["db"]})") + "]}";
  };
  scenario.listing = R"({"kind": "ctestInfo", "version": {"major": 1, "minor": 0}, "tests": [)" +
                     test("alone", "") + "," + test("db-up", "FIXTURES_SETUP") + "," +
                     test("query", "FIXTURES_REQUIRED") + "," + test("db-down", "FIXTURES_CLEANUP") + "]}";
  scenario.logs["memcheck/03-query"] = golden("memcheck/leak.xml");
  const auto [whole, whole_code] = run(config, scenario, "whole");
  ASSERT_EQ(whole.variants.size(), 4U);
  ASSERT_EQ(whole_code, 1);
  for (const int count : {2, 3, 4}) {
    const auto [merged, code] = sharded(config, scenario, count);
    expect_same_report(whole, whole_code, merged, code, "fixtures N=" + std::to_string(count));
    for (int k = 1; k <= count; ++k) {
      std::ifstream in(root_ / ("shard-" + std::to_string(count) + "-" + std::to_string(k)) / "report.json");
      std::set<std::string> ran;
      for (const auto& variant : core::read_report(in, "shard").variants) {
        ran.insert(variant.test);
      }
      const auto together = ran.count("db-up") + ran.count("query") + ran.count("db-down");
      EXPECT_TRUE(together == 0 || together == 3) << "the fixture's tests were split, N=" << count;
    }
  }
  EXPECT_EQ(empty_shards_, 3);  // two units of work: N=3 leaves one shard idle, N=4 two
}

TEST(ShardAssignment, HeaviestFirstOntoTheLightestShardTiesByName) {
  std::vector<ShardUnit> units = {{"e", {0}, 1}, {"a", {1}, 5}, {"c", {2}, 3}, {"b", {3}, 3}, {"d", {4}, 4}};
  // a(5)→1st; d(4)→2nd; b(3)→2nd (4<5); c(3)→1st (5<7); e(1)→2nd (7<8).
  EXPECT_EQ(assign_units(units, 2), (std::vector<int>{1, 0, 0, 1, 1}));
  EXPECT_EQ(assign_units(units, 1), (std::vector<int>{0, 0, 0, 0, 0}));
  // By count, equal weights: dealt out by name.
  std::vector<ShardUnit> equal = {{"c", {0}, 1}, {"a", {1}, 1}, {"b", {2}, 1}};
  EXPECT_EQ(assign_units(equal, 2), (std::vector<int>{0, 0, 1}));
  EXPECT_EQ(assign_units(equal, 5), (std::vector<int>{2, 0, 1}));
}

TEST(ShardSpec, KOfNOrAClearError) {
  const ShardSpec spec = parse_shard("2/3");
  EXPECT_EQ(spec.index, 2);
  EXPECT_EQ(spec.count, 3);
  for (const char* bad : {"0/3", "4/3", "3", "a/b", "1/0", "-1/2", "1/2x", "", "/", "1/", "2/3/4"}) {
    EXPECT_THROW(parse_shard(bad), core::UsageError) << bad;
  }
  try {
    parse_shard("4/3");
  } catch (const core::UsageError& error) {
    EXPECT_NE(std::string(error.what()).find("K counts from 1 to N"), std::string::npos) << error.what();
  }
}

TEST_F(Sharding, AMergeOfPartOfAPlanIsRefused) {
  const core::Config config = load("examples/consumer/plumb.toml", "memcheck");
  const Scenario scenario = consumer_scenario();
  std::vector<MergeInput> three;
  for (int k = 1; k <= 3; ++k) {
    const std::string out = "of3-" + std::to_string(k);
    three.push_back({run(config, scenario, out, ShardRequest{{k, 3}, {}, ""}).first, root_ / out, out});
  }
  const auto refused = [&](std::vector<MergeInput> shards, const std::string& says,
                           const analyze::AnalysisInputs& with) {
    try {
      merge_shards(std::move(shards), with, root_ / "merged");
      ADD_FAILURE() << "merged, expected: " << says;
    } catch (const core::ShardMismatch& error) {
      EXPECT_NE(std::string(error.what()).find(says), std::string::npos) << error.what();
    }
  };
  refused({three[0], three[2]}, "shard 2/3 is missing", inputs());
  refused({three[0], three[1], three[1], three[2]}, "shard 2/3 appears twice", inputs());
  const std::string other = "of2-1";
  const MergeInput of_two{run(config, scenario, other, ShardRequest{{1, 2}, {}, ""}).first, root_ / other, other};
  refused({three[0], three[1], of_two}, "share one N", inputs());
  const core::Config everything = load("examples/consumer/plumb.toml");
  const MergeInput wider{run(everything, scenario, "wide-2", ShardRequest{{2, 3}, {}, ""}).first, root_ / "wide-2",
                         "wide-2"};
  refused({three[0], wider, three[2]}, "come from different plans", inputs());
  analyze::AnalysisInputs other_gate = inputs();
  other_gate.digest = "another baseline";
  refused(three, "other plumb.toml, suppressions or baseline", other_gate);
  // Shards of another plan beside a whole one: a matrix merge, but only of whole plans.
  try {
    merge_reports({three[0], three[1], wider}, inputs(), root_ / "merged");
    ADD_FAILURE() << "merged the shards of two incomplete plans";
  } catch (const core::ShardMismatch& error) {
    EXPECT_NE(std::string(error.what()).find("shards of 2 different plans, not each whole"), std::string::npos)
        << error.what();
  }
  // Balanced another way: a run is in two shards or in none.
  const MergeInput timed{
      run(config, scenario, "timed-2", ShardRequest{{2, 3}, {{"memcheck/count", 100.0}}, "t"}).first,
      root_ / "timed-2", "timed-2"};
  refused({three[0], timed, three[2]}, "balanced by", inputs());
  // And all three merge.
  EXPECT_NO_THROW(merge_shards(three, inputs(), root_ / "merged"));
}

}  // namespace
}  // namespace plumb::pipeline

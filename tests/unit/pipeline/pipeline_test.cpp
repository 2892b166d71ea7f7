// The pipeline end to end with the fake process runner: each case plans variants from a real
// plumb.toml, the fake "runs" them by writing real golden logs where the tool would, and the
// report set plumb writes is compared with tests/unit/pipeline/expected/<case>/. Every case also
// checks that the exit code and all four files say the same verdict.
//
// PLUMB_UPDATE_EXPECTED=1 rewrites the expected files (read the diff before committing it).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plumb/core/config.hpp"
#include "plumb/core/report_json.hpp"
#include "plumb/pipeline/pipeline.hpp"
#include "fake_runner.hpp"
#include "plumb/run/slow_test.hpp"
#include "verdict_agreement.hpp"

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

// What the fake does for one case: how cmake ends, and which log each variant's run leaves.
struct Scenario {
  bool build_fails = false;
  std::map<std::string, std::string> memcheck_xml;  // variant name → the XML valgrind would write
  std::map<std::string, std::string> samples;       // variant name → the harness's samples file
  std::map<std::string, int> exit_codes;            // variant name → its exit code (default 0)
  std::string ctest_listing;  // What `ctest --show-only=json-v1` prints (build/golden = the build tree)
};

// The variant a spec runs: the folder its logs go to (<out>/<variant>/...).
std::string variant_of(const ProcessSpec& spec) {
  return spec.stdout_path.parent_path().filename().string();
}

FakeBehaviour play(const ProcessSpec& spec, const Scenario& scenario) {
  FakeBehaviour behaviour;
  if (spec.argv.at(0) == "cmake") {
    behaviour.exit_code = scenario.build_fails && spec.argv.size() > 1 && spec.argv[1] == "--build" ? 2 : 0;
    return behaviour;
  }
  if (spec.argv.at(0) == "ctest") {
    std::string listing = scenario.ctest_listing;
    replace_all(listing, "build/golden", spec.cwd.string());
    replace_all(listing, "examples/consumer", (spec.cwd.parent_path().parent_path() / "src").string());
    behaviour.files[spec.stdout_path.string()] = listing;
    return behaviour;
  }
  const std::string variant = variant_of(spec);
  if (const auto xml = scenario.memcheck_xml.find(variant); xml != scenario.memcheck_xml.end()) {
    std::string path = argument(spec, "--xml-file");
    replace_all(path, "%p", "4242");
    behaviour.files[path] = xml->second;
  }
  if (const auto samples = scenario.samples.find(variant); samples != scenario.samples.end()) {
    behaviour.files[argument(spec, "--samples")] = samples->second;
  }
  if (const auto code = scenario.exit_codes.find(variant); code != scenario.exit_codes.end()) {
    behaviour.exit_code = code->second;
  }
  return behaviour;
}

// A plumb.toml of scan_leak variants: name, tool, canary.
std::string config_text(const std::vector<std::tuple<std::string, std::string, bool>>& variants) {
  std::string text;
  for (const auto& [name, tool, canary] : variants) {
    text += "[[variant]]\nname = \"" + name + "\"\npreset = \"" +
            (tool == "native" ? "release" : "valgrind") + "\"\ntool = \"" + tool +
            "\"\ntarget = \"scan_leak\"\ncanary = " + (canary ? "true" : "false") +
            "\n[variant.tiers.pr]\nargs = [\"--iterations\", \"30\"]\n";
  }
  return text;
}

// One case: a config, what the fake plays, and the exit code plumb must give.
struct Case {
  const char* name;
  std::string config;
  Scenario scenario;
  int exit_code;
};

void PrintTo(const Case& c, std::ostream* out) {
  *out << c.name;
}

std::vector<Case> cases() {
  const std::string leak = golden("memcheck/leak.xml");
  const std::string clean_samples = golden("samples/scan_leak-clean.jsonl");
  std::vector<Case> out;
  {
    // The clean scanner passes; the canary's planted leak is caught, expected, not a finding to act on.
    Case c{"clean-with-caught-canary",
           config_text({{"native", "native", false}, {"memcheck-canary", "memcheck", true}}),
           {},
           0};
    c.scenario.samples["native"] = clean_samples;
    c.scenario.memcheck_xml["memcheck-canary"] = leak;
    c.scenario.samples["memcheck-canary"] = clean_samples;
    out.push_back(c);
  }
  {
    Case c{"leaking", config_text({{"memcheck", "memcheck", false}}), {}, 1};
    c.scenario.memcheck_xml["memcheck"] = leak;
    c.scenario.samples["memcheck"] = clean_samples;
    out.push_back(c);
  }
  {
    // The canary's tool said nothing: nothing proves the tool works.
    Case c{"silent-canary", config_text({{"native-canary", "native", true}}), {}, 3};
    c.scenario.samples["native-canary"] = clean_samples;
    out.push_back(c);
  }
  {
    // The build of the variant's preset fails: the variant never runs and the run is an error.
    Case c{"build-failed", config_text({{"memcheck", "memcheck", false}}), {}, 3};
    c.scenario.build_fails = true;
    out.push_back(c);
  }
  {
    // valgrind killed mid-run: what its XML holds is kept, but the run proves nothing.
    Case c{"truncated", config_text({{"memcheck", "memcheck", false}}), {}, 3};
    c.scenario.memcheck_xml["memcheck"] = leak.substr(0, leak.find("<errorcounts>"));
    c.scenario.samples["memcheck"] = clean_samples;
    out.push_back(c);
  }
  {
    // A CTest suite under memcheck: CTest's own list of the example consumer's five tests, one
    // run each; the leak is the merge test's alone, and JUnit has one case per test.
    Case c{"ctest-suite",
           "[[variant]]\nname = \"tests\"\npreset = \"valgrind\"\ntool = \"memcheck\"\nctest = true\n"
           "[variant.tiers.pr]\ntimeout_s = 60\n",
           {},
           1};
    c.scenario.ctest_listing = golden("ctest/consumer-listing.json");
    const std::string clean = golden("memcheck/clean.xml");
    for (const char* test : {"01-count", "03-top", "04-threads", "05-file"}) {
      c.scenario.memcheck_xml[test] = clean;
    }
    c.scenario.memcheck_xml["02-merge"] = leak;
    out.push_back(c);
  }
  {
    // Growth of every kind in every renderer: a real scan_leak run that leaves one thread unjoined
    // per iteration (threads, rss and heap grow) and a harness whose heap and fd count grow.
    Case c{"growth-threads-and-fds",
           config_text({{"threads", "native", false}, {"fds", "native", false}}),
           {},
           1};
    c.scenario.samples["threads"] = golden("samples/scan_leak-thread-unjoined.jsonl");
    c.scenario.samples["fds"] = golden("samples/heap-and-fd-growth.jsonl");
    c.scenario.exit_codes["threads"] = 1;  // scan_leak fails its own verdict
    c.scenario.exit_codes["fds"] = 1;
    out.push_back(c);
  }
  {
    // Real C++ leaks (gcc): several call paths reach one leaking site, which every file shows as
    // one site with its paths and its totals, and the gate as one reason.
    Case c{"one-site-many-paths", config_text({{"memcheck", "memcheck", false}}), {}, 1};
    c.scenario.memcheck_xml["memcheck"] = golden("memcheck/cxx_sites-gcc.xml");
    c.scenario.samples["memcheck"] = clean_samples;
    out.push_back(c);
  }
  {
    // CTest lists no test: nothing ran, so nothing is proven.
    Case c{"ctest-no-tests",
           "[[variant]]\nname = \"tests\"\npreset = \"valgrind\"\ntool = \"memcheck\"\nctest = true\n"
           "[variant.tiers.pr]\ntimeout_s = 60\n",
           {},
           3};
    c.scenario.ctest_listing = R"({"kind": "ctestInfo", "version": {"major": 1, "minor": 0}, "tests": []})";
    out.push_back(c);
  }
  return out;
}

class PipelineCase : public ::testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("plumb-pipeline-" + std::to_string(::getpid()) + "-" + GetParam().name);
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_ / "build" / "valgrind");
    std::filesystem::create_directories(root_ / "build" / "release");
    // Configured presets: the pipeline builds them without configuring first.
    std::ofstream(root_ / "build" / "valgrind" / "CMakeCache.txt").flush();
    std::ofstream(root_ / "build" / "release" / "CMakeCache.txt").flush();
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  std::filesystem::path root_;
};

TEST_P(PipelineCase, WritesTheExpectedReportSetAndOneVerdictEverywhere) {
  const Case& c = GetParam();
  core::Config config = core::parse_config(c.config, (root_ / "plumb.toml").string());
  config.root = root_;
  Plan plan;
  plan.out_dir = root_ / "out";
  plan.config = &config;
  plan.inputs.generated_at = "2026-01-01T00:00:00Z";
  plan.inputs.run_id = "00000000-0000-4000-8000-000000000001";
  plan.inputs.plumb_version = "0.0.0-test";  // a fixed version: the expected files name no commit
  std::vector<const core::VariantConfig*> variants;
  for (const auto& variant : config.variants) {
    variants.push_back(&variant);
    plan.runs.push_back(run::plan_variant(config, variant, "pr", plan.out_dir));
  }
  plan.builds = run::build_requests(variants);
  std::filesystem::create_directories(plan.out_dir);
  run::FakeRunner runner([&](const ProcessSpec& spec) { return play(spec, c.scenario); });
  Hooks hooks;
  hooks.poll_interval = std::chrono::milliseconds(1);
  std::ostringstream terminal;
  core::Report report = execute(plan, runner, hooks);
  for (auto& variant : report.variants) {
    variant.duration_s = 0;  // Wall-clock time is the one thing that differs between two runs.
  }
  const int code = publish(report, plan.out_dir, terminal, false);
  EXPECT_EQ(code, c.exit_code) << terminal.str();

  // One verdict: the exit code's, in every file.
  const std::string verdict = code == 0 ? "pass" : (code == 1 ? "fail" : "error");
  const auto said = check::read_verdicts(plan.out_dir);
  EXPECT_EQ(said.json, verdict);
  EXPECT_EQ(said.junit, verdict);
  EXPECT_EQ(said.sarif, verdict);
  EXPECT_EQ(said.html, verdict);
  EXPECT_EQ(said.problems, "");
  EXPECT_NE(terminal.str().find("verdict: " + std::string(verdict == "pass"   ? "PASS"
                                                          : verdict == "fail" ? "FAIL"
                                                                              : "ERROR")),
            std::string::npos)
      << terminal.str();

  // One site view: report.json's sites are the HTML's cards and the terminal's gating count, and
  // SARIF has one result per call path (finding) of those sites.
  {
    const nlohmann::json json = nlohmann::json::parse(read(plan.out_dir / "report.json"));
    std::size_t paths = 0;
    std::size_t gating_sites = 0;
    for (const auto& site : json.at("sites")) {
      paths += site.at("findings").size();
      gating_sites += site.at("disposition") == "gating" ? 1 : 0;
    }
    EXPECT_EQ(paths, json.at("findings").size());
    const std::string html = read(plan.out_dir / "report.html");
    std::size_t cards = 0;
    for (auto at = html.find("<article class=\"finding"); at != std::string::npos;
         at = html.find("<article class=\"finding", at + 1)) {
      ++cards;
    }
    EXPECT_EQ(cards, json.at("sites").size());
    const nlohmann::json sarif = nlohmann::json::parse(read(plan.out_dir / "report.sarif"));
    EXPECT_EQ(sarif.at("runs").at(0).at("results").size(), paths);
    std::size_t counted = 0;  // "gating sites: leak.definite 7 leak.indirect 4"
    const std::string text = terminal.str();
    if (const auto line = text.find("gating sites:"); line != std::string::npos) {
      std::istringstream words(text.substr(line + 13, text.find('\n', line) - line - 13));
      for (std::string word; words >> word;) {
        if (!word.empty() && std::isdigit(static_cast<unsigned char>(word.front())) != 0 &&
            word.find_first_not_of("0123456789") == std::string::npos) {
          counted += std::stoul(word);
        }
        if (word.front() == '(') {
          break;  // "(N not gating: ...)"
        }
      }
    }
    EXPECT_EQ(counted, gating_sites) << text;
  }

  // The whole report set, with this machine's temporary folder replaced.
  const std::filesystem::path expected_dir = std::filesystem::path(PLUMB_PIPELINE_EXPECTED) / c.name;
  const bool update = std::getenv("PLUMB_UPDATE_EXPECTED") != nullptr;
  for (const char* file : {"report.json", "junit.xml", "report.sarif", "report.html"}) {
    std::string actual = read(plan.out_dir / file);
    EXPECT_NE(actual.find("0.0.0-test"), std::string::npos) << file << " does not name the plumb that wrote it";
    replace_all(actual, root_.string(), "@ROOT@");
    if (update) {
      std::filesystem::create_directories(expected_dir);
      std::ofstream(expected_dir / file, std::ios::binary) << actual;
      continue;
    }
    EXPECT_TRUE(actual == read(expected_dir / file))
        << c.name << "/" << file << " differs from tests/unit/pipeline/expected/" << c.name << "/" << file
        << "; rerun with PLUMB_UPDATE_EXPECTED=1 and read the diff";
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, PipelineCase, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case>& param) {
                           std::string name = param.param.name;
                           for (auto& ch : name) {
                             ch = ch == '-' ? '_' : ch;
                           }
                           return name;
                         });

// plumb run --test NAME: of the suite CTest lists, only that test runs, in the folder it has in
// a whole run (its place in the full list); a name CTest does not list is an error saying which it does.
TEST(PipelineCtest, OneTestRunsAloneInItsUsualFolder) {
  const std::filesystem::path root =
      std::filesystem::temp_directory_path() / ("plumb-pipeline-only-" + std::to_string(::getpid()));
  std::filesystem::remove_all(root);
  std::filesystem::create_directories(root / "build" / "valgrind");
  std::ofstream(root / "build" / "valgrind" / "CMakeCache.txt").flush();
  Scenario scenario;
  scenario.ctest_listing = golden("ctest/consumer-listing.json");
  scenario.memcheck_xml["03-top"] = golden("memcheck/clean.xml");
  for (const std::string only : {"top", "absent"}) {
    core::Config config = core::parse_config(
        "[[variant]]\nname = \"tests\"\npreset = \"valgrind\"\ntool = \"memcheck\"\nctest = true\n"
        "[variant.tiers.pr]\n",
        "plumb.toml");
    config.root = root;
    config.variants[0].ctest->only = only;
    Plan plan;
    plan.out_dir = root / ("out-" + only);
    plan.runs.push_back(run::plan_variant(config, config.variants[0], "pr", plan.out_dir));
    std::filesystem::create_directories(plan.out_dir);
    run::FakeRunner runner([&](const ProcessSpec& spec) { return play(spec, scenario); });
    Hooks hooks;
    hooks.poll_interval = std::chrono::milliseconds(1);
    const core::Report report = execute(plan, runner, hooks);
    ASSERT_EQ(report.variants.size(), 1U);
    if (only == "top") {
      EXPECT_EQ(report.variants[0].name, "tests/top");
      EXPECT_EQ(report.verdict, core::Verdict::Pass);
      EXPECT_TRUE(std::filesystem::exists(plan.out_dir / "tests" / "03-top"));
      EXPECT_EQ(runner.started().size(), 2U);  // the listing, then the one test
    } else {
      EXPECT_EQ(report.verdict, core::Verdict::Error);
      ASSERT_FALSE(report.variants[0].errors.empty());
      EXPECT_NE(report.variants[0].errors[0].find("lists no test named 'absent'"), std::string::npos)
          << report.variants[0].errors[0];
      EXPECT_NE(report.variants[0].errors[0].find("count, merge, top, threads, file"), std::string::npos);
    }
  }
  std::filesystem::remove_all(root);
}

// A CTest test killed at its limit under memcheck says how long it takes natively, read from
// CTest's own cost data in the uninstrumented tree, with the commands to run it alone or leave it
// out; without cost data it says the native time is not known instead of inventing one.
TEST(PipelineCtest, ATimedOutTestSaysItsNativeTimeFromCtestCostData) {
  const std::filesystem::path root =
      std::filesystem::temp_directory_path() / ("plumb-pipeline-slow-" + std::to_string(::getpid()));
  for (const bool with_cost_data : {true, false}) {
    std::filesystem::remove_all(root);
    std::filesystem::create_directories(root / "build" / "valgrind" / "Testing" / "Temporary");
    std::ofstream(root / "build" / "valgrind" / "CMakeCache.txt").flush();
    if (with_cost_data) {
      std::ofstream(root / "build" / "valgrind" / "Testing" / "Temporary" / "CTestCostData.txt")
          << "count 1 0.02\ntop 1 36.3673\n---\n";
    }
    Scenario scenario;
    scenario.ctest_listing = golden("ctest/consumer-listing.json");
    core::Config config = core::parse_config(
        "[[variant]]\nname = \"tests\"\npreset = \"valgrind\"\ntool = \"memcheck\"\nctest = true\n"
        "[variant.tiers.pr]\ntimeout_s = 0.05\n",
        "plumb.toml");
    config.root = root;
    config.variants[0].ctest->only = "top";
    Plan plan;
    plan.out_dir = root / "out";
    plan.runs.push_back(run::plan_variant(config, config.variants[0], "pr", plan.out_dir));
    std::filesystem::create_directories(plan.out_dir);
    run::FakeRunner runner([&](const ProcessSpec& spec) {
      if (spec.argv.at(0) == "cmake" || spec.argv.at(0) == "ctest") {
        return play(spec, scenario);
      }
      FakeBehaviour hung;
      hung.hangs = true;
      return hung;
    });
    Hooks hooks;
    hooks.poll_interval = std::chrono::milliseconds(1);
    hooks.kill_grace = std::chrono::milliseconds(5);
    const core::Report report = execute(plan, runner, hooks);
    ASSERT_EQ(report.variants.size(), 1U);
    const core::VariantResult& top = report.variants[0];
    EXPECT_EQ(top.status, core::VariantStatus::Timeout);
    ASSERT_TRUE(top.timed_out.has_value());
    EXPECT_EQ(top.timed_out->run_alone, "plumb run --variant tests --test top");
    EXPECT_EQ(top.timed_out->exclude, "plumb run --exclude-test '^top$'");
    EXPECT_EQ(top.timed_out->exclude_config, "ctest = { exclude = '^top$' }");
    EXPECT_NE(top.note.find("timed out under memcheck after 0.05s"), std::string::npos) << top.note;
    EXPECT_NE(top.note.find("`plumb run --exclude-test '^top$'`"), std::string::npos) << top.note;
    if (with_cost_data) {
      ASSERT_TRUE(top.timed_out->native_s.has_value());
      EXPECT_DOUBLE_EQ(*top.timed_out->native_s, 36.3673);
      EXPECT_EQ(top.timed_out->native_from, core::NativeTimeSource::CtestCostData);
      EXPECT_NE(top.note.find("it takes 36.4s natively (CTest's cost data, " +
                              (root / "build/valgrind/Testing/Temporary/CTestCostData.txt").string() +
                              "), about 1h00m37s at memcheck's usual slowdown, x100"),
                std::string::npos)
          << top.note;
    } else {
      EXPECT_FALSE(top.timed_out->native_s.has_value());
      EXPECT_EQ(top.timed_out->native_from, core::NativeTimeSource::Unknown);
      EXPECT_NE(top.note.find("its native time is not known"), std::string::npos) << top.note;
      EXPECT_EQ(top.note.find("natively ("), std::string::npos) << top.note;
    }
    // The account is in report.json, for every reader.
    const core::Report reread = core::report_from_json(core::to_json(report), "report.json");
    ASSERT_TRUE(reread.variants[0].timed_out.has_value());
    EXPECT_EQ(reread.variants[0].timed_out->native_s, top.timed_out->native_s);
    EXPECT_EQ(reread.variants[0].timed_out->native_from, top.timed_out->native_from);
    EXPECT_EQ(reread.variants[0].timed_out->exclude_config, top.timed_out->exclude_config);
  }
  std::filesystem::remove_all(root);
}

// `plumb run --variant asan` alone still finds the native times ctest recorded in memcheck's
// (uninstrumented) tree; the ASan tree's own cost data is never a native time.
TEST(PipelineCtest, NativeTimesComeFromEveryUninstrumentedTreeOfTheConfig) {
  const std::filesystem::path root =
      std::filesystem::temp_directory_path() / ("plumb-pipeline-native-" + std::to_string(::getpid()));
  std::filesystem::remove_all(root);
  for (const std::string preset : {"plumb-valgrind", "plumb-asan"}) {
    std::filesystem::create_directories(root / "build" / preset / "Testing" / "Temporary");
  }
  std::ofstream(root / "build/plumb-valgrind/Testing/Temporary/CTestCostData.txt")
      << "runtests 1 29.7058\n---\n";
  std::ofstream(root / "build/plumb-asan/Testing/Temporary/CTestCostData.txt")
      << "runtests 1 400\nother 1 3\n---\n";
  core::Config config = core::parse_config(
      "[[variant]]\nname = \"memcheck\"\npreset = \"plumb-valgrind\"\ntool = \"memcheck\"\nctest = true\n"
      "[variant.tiers.pr]\n"
      "[[variant]]\nname = \"asan\"\npreset = \"plumb-asan\"\ntool = \"asan\"\nctest = true\n"
      "[variant.tiers.pr]\n",
      "plumb.toml");
  config.root = root;
  const std::vector<run::PlannedRun> runs = {
      run::plan_variant(config, config.variants[1], "pr", root / "out")};
  EXPECT_TRUE(native_times(runs, nullptr).empty());  // the asan tree alone: no native time
  const auto times = native_times(runs, &config);
  ASSERT_EQ(times.size(), 1U);
  EXPECT_DOUBLE_EQ(times.at("runtests").seconds, 29.7058);
  EXPECT_EQ(times.at("runtests").where,
            (root / "build/plumb-valgrind/Testing/Temporary/CTestCostData.txt").string());
  std::filesystem::remove_all(root);
}

// A native run of the same test in the same report is better evidence than cost data: its time is
// the one the note gives.
TEST(PipelineCtest, ANativeRunOfTheSameTestGivesItsTime) {
  std::vector<run::FinishedRun> finished(2);
  finished[0].result.name = "memcheck/runtests";
  finished[0].result.suite = "memcheck";
  finished[0].result.test = "runtests";
  finished[0].result.tool = core::Tool::Memcheck;
  finished[0].result.status = core::VariantStatus::Timeout;
  run::PlannedRun plan;
  plan.suite = "memcheck";
  plan.test = "runtests";
  plan.tool = core::Tool::Memcheck;
  plan.timeout_s = 900;
  finished[0].result.timed_out = run::timeout_account(plan);
  finished[0].result.note =
      run::timeout_note(core::Tool::Memcheck, *finished[0].result.timed_out) + "; detection off: x";
  finished[1].result.name = "native/runtests";
  finished[1].result.suite = "native";
  finished[1].result.test = "runtests";
  finished[1].result.tool = core::Tool::Native;
  finished[1].result.status = core::VariantStatus::Ok;
  finished[1].result.duration_s = 36.5;
  add_native_runs(finished);
  const core::VariantResult& slow = finished[0].result;
  ASSERT_TRUE(slow.timed_out->native_s.has_value());
  EXPECT_DOUBLE_EQ(*slow.timed_out->native_s, 36.5);
  EXPECT_EQ(slow.timed_out->native_from, core::NativeTimeSource::NativeRun);
  EXPECT_EQ(slow.note.rfind(
                "timed out under memcheck after 15m00s; it takes 36.5s natively (its run native/runtests "
                "in this report), about 1h00m50s at memcheck's usual slowdown, x100; its limit is the tier's "
                "timeout_s.",
                0),
            0U)
      << slow.note;
  EXPECT_NE(slow.note.find("; detection off: x"), std::string::npos) << slow.note;
}

}  // namespace
}  // namespace plumb::pipeline

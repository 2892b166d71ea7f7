// CTest as a runner: CTest's own json-v1 test list (a real listing, tests/golden/ctest/) becomes
// one run per test under the variant's tool, in the test's directory, with its environment.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include <unistd.h>

#include "plumb/core/config.hpp"
#include "plumb/core/errors.hpp"
#include "plumb/core/output_dir.hpp"
#include "plumb/run/ctest.hpp"
#include "fake_runner.hpp"
#include "plumb/run/plan.hpp"
#include "plumb/run/scheduler.hpp"

namespace plumb::run {
namespace {

std::string golden_listing() {
  std::ifstream in(std::filesystem::path(PLUMB_GOLDEN_DIR) / "ctest" / "consumer-listing.json",
                   std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

core::Config suite_config(const std::string& ctest) {
  core::Config config = core::parse_config(
      "[[variant]]\nname = \"tests\"\npreset = \"dbg\"\ntool = \"memcheck\"\n"
      "ctest = " +
          ctest +
          "\nenv = { SUITE = \"1\", TALLY_THREADS = \"8\" }\n"
          "[variant.tiers.pr]\ntimeout_s = 45\n",
      "plumb.toml");
  config.root = "/src";
  return config;
}

TEST(Ctest, ReadsEveryTestOfARealListing) {
  const std::vector<CtestTest> tests = parse_ctest_listing(golden_listing(), "listing.json");
  ASSERT_EQ(tests.size(), 5U);
  std::vector<std::string> names;
  for (const CtestTest& test : tests) {
    names.push_back(test.name);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"count", "merge", "top", "threads", "file"}));
  EXPECT_EQ(tests[1].command, (std::vector<std::string>{"build/golden/test_merge"}));
  EXPECT_EQ(tests[1].cwd, "build/golden");
  EXPECT_EQ(tests[3].env, (std::map<std::string, std::string>{{"TALLY_THREADS", "4"}}));
  EXPECT_EQ(tests[3].labels, (std::vector<std::string>{"threads", "unit"}));
  EXPECT_EQ(tests[4].cwd, "examples/consumer/tests");
  EXPECT_FALSE(tests[0].will_fail);
}

// The properties as CTest 3.25 prints them (a listing of add_test with WILL_FAIL, TIMEOUT, DISABLED
// and a program that is not built: no "command").
TEST(Ctest, ReadsWillFailTimeoutDisabledAndAMissingCommand) {
  const std::string listing = R"({"kind": "ctestInfo", "version": {"major": 1, "minor": 0}, "tests": [
    {"backtrace": 1, "command": ["/bin/false"], "name": "odd name: a/b", "properties": [
      {"name": "TIMEOUT", "value": 12.5}, {"name": "WILL_FAIL", "value": true},
      {"name": "WORKING_DIRECTORY", "value": "/b"}]},
    {"backtrace": 3, "command": ["/bin/true"], "name": "off", "properties": [
      {"name": "DISABLED", "value": true}, {"name": "WORKING_DIRECTORY", "value": "/b"}]},
    {"backtrace": 5, "name": "missing", "properties": [{"name": "WORKING_DIRECTORY", "value": "/b"}]}]})";
  const std::vector<CtestTest> tests = parse_ctest_listing(listing, "listing.json");
  ASSERT_EQ(tests.size(), 3U);
  EXPECT_TRUE(tests[0].will_fail);
  EXPECT_DOUBLE_EQ(tests[0].timeout_s, 12.5);
  EXPECT_TRUE(tests[1].disabled);
  EXPECT_TRUE(tests[2].command.empty());
}

TEST(Ctest, ANonListingIsAUsageErrorNamingTheFile) {
  for (const char* text : {"", "[]", R"({"kind": "other", "version": {"major": 1}, "tests": []})",
                           R"({"kind": "ctestInfo", "version": {"major": 2}, "tests": []})",
                           R"({"kind": "ctestInfo", "version": {"major": 1}, "tests": [{"command": ["x"]}]})",
                           R"({"kind": "ctestInfo", "version": {"major": 1}, "tests": [{"name": "t",
                              "properties": [{"name": "ENVIRONMENT", "value": ["NOEQUALS"]}]}]})"}) {
    try {
      parse_ctest_listing(text, "out/ctest-tests.json");
      ADD_FAILURE() << "accepted: " << text;
    } catch (const core::UsageError& error) {
      EXPECT_EQ(std::string(error.what()).rfind("out/ctest-tests.json: not a CTest json-v1 test list", 0), 0U)
          << error.what();
    }
  }
}

TEST(Ctest, ListsWithTheSelectionAsCtestFiltersIt) {
  const core::Config config = suite_config(R"({ label = "unit", regex = "^m", exclude = "slow" })");
  const PlannedRun suite = plan_variant(config, config.variants[0], "pr", "/reports");
  ASSERT_TRUE(suite.ctest.has_value());
  EXPECT_EQ(suite.spec.argv,
            (std::vector<std::string>{"ctest", "--show-only=json-v1", "--test-dir", "/src/build/dbg", "-L",
                                      "unit", "-R", "^m", "-E", "slow"}));
  EXPECT_EQ(suite.spec.stdout_path, "/reports/tests/ctest-tests.json");
  const core::Config every = suite_config("true");
  EXPECT_EQ(plan_variant(every, every.variants[0], "pr", "/reports").spec.argv.size(), 4U);
}

TEST(Ctest, EachTestRunsUnderTheToolInItsDirectoryWithItsEnvironment) {
  const core::Config config = suite_config("true");
  const PlannedRun suite = plan_variant(config, config.variants[0], "pr", "/reports");
  const std::vector<CtestTest> tests = parse_ctest_listing(golden_listing(), "listing.json");
  const PlannedRun run = plan_ctest_test(suite, tests[3], 4);
  EXPECT_EQ(run.name, "tests/threads");
  EXPECT_EQ(run.suite, "tests");
  EXPECT_EQ(run.test, "threads");
  EXPECT_EQ(run.out_dir, "/reports/tests/04-threads");
  EXPECT_EQ(run.spec.cwd, "build/golden");
  EXPECT_EQ(run.timeout_s, 45);
  EXPECT_EQ(run.spec.argv.front(), "valgrind");
  EXPECT_EQ(run.spec.argv.back(), "build/golden/test_threads");
  EXPECT_EQ(run.spec.target, "build/golden/test_threads");
  // The test's own environment, overridden by the variant's.
  EXPECT_EQ(run.spec.env.at("TALLY_THREADS"), "8");
  EXPECT_EQ(run.spec.env.at("SUITE"), "1");
  EXPECT_TRUE(std::any_of(run.spec.argv.begin(), run.spec.argv.end(), [](const std::string& arg) {
    return arg == "--xml-file=/reports/tests/04-threads/memcheck.%p.xml";
  }));
  EXPECT_NE(run.repro.find("TALLY_THREADS=8"), std::string::npos) << run.repro;
}

TEST(Ctest, TheToolsOwnSettingsWinOverTheTests) {
  core::Config config = suite_config("true");
  config.variants[0].tool = core::Tool::Asan;
  const PlannedRun suite = plan_variant(config, config.variants[0], "pr", "/reports");
  CtestTest test;
  test.name = "t";
  test.command = {"/b/t"};
  test.env = {{"ASAN_OPTIONS", "detect_leaks=0"}, {"OWN", "x"}};
  const PlannedRun run = plan_ctest_test(suite, test, 1);
  EXPECT_NE(run.spec.env.at("ASAN_OPTIONS").find("log_path=/reports/tests/01-t/"), std::string::npos)
      << run.spec.env.at("ASAN_OPTIONS");
  EXPECT_EQ(run.spec.env.at("OWN"), "x");
}

TEST(Ctest, TestFoldersAreValidNamesAndStayDistinct) {
  EXPECT_EQ(test_folder_name("merge", 2), "02-merge");
  EXPECT_EQ(test_folder_name("odd name: a/b", 12), "12-odd_name__a_b");
  EXPECT_EQ(test_folder_name("../../etc", 3), "03-.._.._etc");
  EXPECT_NO_THROW(core::check_path_name(test_folder_name(std::string(300, '/'), 999), "test"));
  EXPECT_NE(test_folder_name("a b", 1), test_folder_name("a_b", 2));
}

TEST(Ctest, ListingRunsCtestAndAFailureNamesItsLogs) {
  core::Config config = suite_config("true");
  const std::filesystem::path out =
      std::filesystem::temp_directory_path() / ("plumb-ctest-" + std::to_string(::getpid()));
  std::filesystem::create_directories(out / "tests");
  // No build tree: said as such, before ctest is asked (whose failure to start would blame ctest).
  config.root = out;
  const PlannedRun unbuilt = plan_variant(config, config.variants[0], "pr", out);
  FakeRunner unused([](const ProcessSpec&) { return FakeBehaviour{}; });
  try {
    list_ctest_tests(unused, unbuilt, {});
    ADD_FAILURE() << "a missing build tree was listed";
  } catch (const core::InfrastructureError& error) {
    EXPECT_NE(std::string(error.what())
                  .find("the build tree " + (out / "build" / "dbg").string() + " does not exist"),
              std::string::npos)
        << error.what();
  }
  EXPECT_TRUE(unused.started().empty());
  std::filesystem::create_directories(out / "build" / "dbg");
  const PlannedRun suite = plan_variant(config, config.variants[0], "pr", out);
  FakeRunner listing([&](const ProcessSpec& spec) {
    FakeBehaviour behaviour;
    behaviour.files[spec.stdout_path.string()] = golden_listing();
    return behaviour;
  });
  EXPECT_EQ(list_ctest_tests(listing, suite, {}).size(), 5U);
  EXPECT_EQ(listing.started().at(0).argv.at(0), "ctest");
  FakeRunner failing([](const ProcessSpec&) {
    FakeBehaviour behaviour;
    behaviour.exit_code = 8;
    return behaviour;
  });
  try {
    list_ctest_tests(failing, suite, {});
    ADD_FAILURE() << "a failed listing was accepted";
  } catch (const core::InfrastructureError& error) {
    EXPECT_NE(std::string(error.what()).find("exit code 8"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("ctest-tests.stderr.log"), std::string::npos) << error.what();
  }
  std::filesystem::remove_all(out);
}

// WILL_FAIL: the test passes by failing, as CTest judges it; exiting 0 is then the failure.
TEST(Ctest, AWillFailTestPassesByFailing) {
  const std::filesystem::path out =
      std::filesystem::temp_directory_path() / ("plumb-willfail-" + std::to_string(::getpid()));
  std::vector<PlannedRun> plans;
  for (const char* name : {"fails", "passes"}) {
    PlannedRun plan = plan_command(name, core::Tool::Native, {"/bin/x"}, 10, out, "/none", true);
    plan.expect_failure = true;
    plans.push_back(plan);
  }
  FakeRunner runner([](const ProcessSpec& spec) {
    FakeBehaviour behaviour;
    behaviour.exit_code = spec.stdout_path.parent_path().filename() == "fails" ? 1 : 0;
    return behaviour;
  });
  SchedulerOptions options;
  options.report_dir = out;
  options.poll_interval = std::chrono::milliseconds(1);
  const std::vector<FinishedRun> finished = run_variants(runner, plans, options);
  EXPECT_EQ(finished[0].result.status, core::VariantStatus::Ok) << finished[0].result.note;
  EXPECT_NE(finished[0].result.note.find("WILL_FAIL"), std::string::npos);
  EXPECT_EQ(finished[1].result.status, core::VariantStatus::Failed);
  EXPECT_NE(finished[1].result.note.find("expects it to fail"), std::string::npos);
  std::filesystem::remove_all(out);
}

}  // namespace
}  // namespace plumb::run

namespace plumb::run {
namespace {

// A listing of one test with `properties` (a JSON list as CTest 3.25 prints it).
CtestTest listed_test(const std::string& properties) {
  const std::string listing = R"({"kind": "ctestInfo", "version": {"major": 1, "minor": 0}, "tests": [
    {"command": ["/bin/true"], "name": "t", "properties": )" + properties + "}]}";
  return parse_ctest_listing(listing, "listing.json").front();
}

TEST(CtestRules, ReadsEveryPassRuleFixtureAndExclusionProperty) {
  // As `ctest --show-only=json-v1` printed them for one test with every property set.
  const CtestTest test = listed_test(R"([
    {"name": "FAIL_REGULAR_EXPRESSION", "value": ["z"]}, {"name": "SKIP_REGULAR_EXPRESSION", "value": ["s"]},
    {"name": "FIXTURES_CLEANUP", "value": ["h"]}, {"name": "FIXTURES_REQUIRED", "value": ["g"]},
    {"name": "FIXTURES_SETUP", "value": ["f"]}, {"name": "PASS_REGULAR_EXPRESSION", "value": ["x", "y"]},
    {"name": "REQUIRED_FILES", "value": ["/nonexist"]}, {"name": "RESOURCE_LOCK", "value": ["r"]},
    {"name": "RUN_SERIAL", "value": true}, {"name": "SKIP_RETURN_CODE", "value": 77},
    {"name": "TIMEOUT", "value": 3.0}, {"name": "WILL_FAIL", "value": true}])");
  EXPECT_EQ(test.rules.skip_return_code, 77);
  EXPECT_EQ(test.rules.pass_regex, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(test.rules.fail_regex, (std::vector<std::string>{"z"}));
  EXPECT_EQ(test.rules.skip_regex, (std::vector<std::string>{"s"}));
  EXPECT_EQ(test.required_files, (std::vector<std::string>{"/nonexist"}));
  EXPECT_EQ(test.fixtures_setup, (std::vector<std::string>{"f"}));
  EXPECT_EQ(test.fixtures_required, (std::vector<std::string>{"g"}));
  EXPECT_EQ(test.fixtures_cleanup, (std::vector<std::string>{"h"}));
  EXPECT_EQ(test.resource_locks, (std::vector<std::string>{"r"}));
  EXPECT_TRUE(test.run_serial);
  EXPECT_TRUE(test.will_fail);
  EXPECT_EQ(test.timeout_s, 3.0);
  EXPECT_THROW(listed_test(R"([{"name": "SKIP_RETURN_CODE", "value": "77"}])"), core::UsageError);
}

// A finished test that exited with `code`, judged by `rules`.
core::VariantResult judged(const CtestRules& rules, int code, std::string_view output, bool will_fail = false) {
  PlannedRun plan;
  plan.ctest_rules = rules;
  plan.expect_failure = will_fail;
  core::VariantResult result;
  result.exit_code = code;
  result.status = (code != 0) != will_fail ? core::VariantStatus::Failed : core::VariantStatus::Ok;
  apply_ctest_rules(plan, output, result);
  return result;
}

TEST(CtestRules, JudgesAsCtestDoes) {
  CtestRules skip_code;
  skip_code.skip_return_code = 77;
  EXPECT_EQ(judged(skip_code, 77, "").status, core::VariantStatus::Skipped);
  EXPECT_TRUE(judged(skip_code, 77, "").skipped_by_rule);
  EXPECT_EQ(judged(skip_code, 1, "").status, core::VariantStatus::Failed);

  CtestRules pass;
  pass.pass_regex = {", Fail 0"};
  EXPECT_EQ(judged(pass, 1, "Tests 3, Fail 0\n").status, core::VariantStatus::Ok) << "the output decides";
  const core::VariantResult not_printed = judged(pass, 0, "Tests 3, Fail 1\n");
  EXPECT_EQ(not_printed.status, core::VariantStatus::Failed);
  EXPECT_NE(not_printed.note.find("PASS_REGULAR_EXPRESSION [, Fail 0]"), std::string::npos) << not_printed.note;

  CtestRules fail;
  fail.fail_regex = {"^ERROR"};
  EXPECT_EQ(judged(fail, 0, "ok\nERROR: lost a row\n").status, core::VariantStatus::Failed);
  EXPECT_EQ(judged(fail, 0, "no ERROR here\n").status, core::VariantStatus::Ok) << "anchored per line";
  EXPECT_EQ(judged(fail, 0, "ERROR\n", true).status, core::VariantStatus::Ok) << "WILL_FAIL inverts it";

  CtestRules skip;
  skip.skip_regex = {"SKIPPED:"};
  skip.fail_regex = {"ERROR"};
  EXPECT_EQ(judged(skip, 0, "ERROR\nSKIPPED: no db\n").status, core::VariantStatus::Skipped) << "a skip wins";
}

TEST(CtestRules, FixturesOrderSetupsFirstAndCleanupsLast) {
  std::vector<CtestTest> tests(4);
  tests[0].name = "uses";
  tests[0].fixtures_required = {"db"};
  tests[1].name = "cleanup";
  tests[1].fixtures_cleanup = {"db"};
  tests[2].name = "setup";
  tests[2].fixtures_setup = {"db"};
  tests[3].name = "other";
  EXPECT_EQ(fixture_order(tests), (std::vector<std::size_t>{2, 0, 3, 1}));
}

TEST(CtestRules, ATestTimeoutIsScaledByItsTool) {
  EXPECT_EQ(test_timeout(core::Tool::Memcheck, 10, 900), 1000);
  EXPECT_EQ(test_timeout(core::Tool::Asan, 10, 900), 150);
  EXPECT_EQ(test_timeout(core::Tool::Native, 10, 900), 10);
  EXPECT_EQ(test_timeout(core::Tool::Memcheck, 0, 900), 900) << "no TIMEOUT: the tier's";
}

TEST(CtestRules, RequiredFilesAreReadFromTheTestsDirectory) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("plumb-required-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "input.dat") << "x";
  CtestTest test;
  test.cwd = dir;
  test.required_files = {"input.dat", "missing.dat", (dir / "input.dat").string()};
  EXPECT_EQ(missing_required_files(test, "/nowhere"), (std::vector<std::string>{"missing.dat"}));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace plumb::run

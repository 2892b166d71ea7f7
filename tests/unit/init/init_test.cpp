// plumb init: what it reads off a CMake project and what it writes, never replacing a file the
// project has (plumb.toml is refused; a user presets file is extended after a backup).
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "plumb/core/config.hpp"
#include "plumb/core/errors.hpp"
#include "plumb/init/init.hpp"
#include "fake_runner.hpp"

namespace plumb::init {
namespace {

class InitTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("plumb-init-" + std::to_string(::getpid()) + "-" +
            testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "tests");
    write("CMakeLists.txt",
          "cmake_minimum_required(VERSION 3.21)\nproject(  cJSON VERSION 1.7 LANGUAGES C)\n"
          "add_subdirectory(tests)\n");
    write("tests/CMakeLists.txt", "add_executable(t t.c)\nadd_test(NAME t COMMAND t)\n");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void write(const std::string& relative, const std::string& text) {
    std::ofstream(dir_ / relative, std::ios::binary) << text;
  }
  std::string read(const std::string& relative) {
    std::ifstream in(dir_ / relative, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  std::filesystem::path dir_;
};

TEST_F(InitTest, ReadsTheProjectsNameAndTests) {
  // A build tree inside the project is not the project's own CMake files.
  std::filesystem::create_directories(dir_ / "build" / "x");
  write("build/x/CMakeCache.txt", "");
  write("build/x/CTestTestfile.cmake", "add_test(generated)\n");
  const ProjectFacts facts = read_project_facts(dir_);
  EXPECT_EQ(facts.name, "cJSON");
  EXPECT_TRUE(facts.has_tests);
  EXPECT_EQ(facts.test_files, (std::vector<std::string>{"tests/CMakeLists.txt"}));
  EXPECT_FALSE(facts.has_presets_file);
}

TEST_F(InitTest, AFolderWithoutCMakeListsIsAUsageError) {
  std::filesystem::remove(dir_ / "CMakeLists.txt");
  EXPECT_THROW(read_project_facts(dir_), core::UsageError);
}

TEST_F(InitTest, WritesAConfigPlumbReadsAndPresetsForEveryTool) {
  const InitPlan plan = plan_init(read_project_facts(dir_));
  ASSERT_EQ(plan.files.size(), 2U);
  EXPECT_EQ(plan.files[1].path, dir_ / "CMakePresets.json");
  EXPECT_FALSE(plan.files[1].extends);
  apply_init(plan);
  const core::Config config = core::load_config(dir_ / "plumb.toml");
  ASSERT_EQ(config.variants.size(), 3U);
  for (const core::VariantConfig& variant : config.variants) {
    EXPECT_TRUE(variant.ctest.has_value()) << variant.name;
    EXPECT_EQ(variant.tiers.count("pr"), 1U) << variant.name;
  }
  EXPECT_EQ(config.variants[0].preset, "plumb-valgrind");
  EXPECT_EQ(config.variants[1].tool, core::Tool::Asan);
  const auto presets = nlohmann::json::parse(read("CMakePresets.json"));
  ASSERT_EQ(presets["configurePresets"].size(), 3U);
  EXPECT_EQ(presets["configurePresets"][2]["name"], "plumb-tsan");
  EXPECT_NE(presets["configurePresets"][2]["cacheVariables"]["CMAKE_C_FLAGS"].get<std::string>().find(
                "-fsanitize=thread"),
            std::string::npos);
  EXPECT_EQ(presets["buildPresets"][1]["configurePreset"], "plumb-asan");
  // clang 14's default DWARF 5 makes Valgrind 3.19 give up on the program.
  EXPECT_NE(
      presets["configurePresets"][0]["cacheVariables"]["CMAKE_C_FLAGS"].get<std::string>().find("-gdwarf-4"),
      std::string::npos);
  EXPECT_EQ(plan.commands.size(), 2U);
  EXPECT_TRUE(plan.notes.empty());
}

TEST_F(InitTest, NeverReplacesAConfig) {
  write("plumb.toml", "# mine\n");
  EXPECT_THROW(plan_init(read_project_facts(dir_)), core::UsageError);
  EXPECT_EQ(read("plumb.toml"), "# mine\n");
}

TEST_F(InitTest, ReusesAProjectPresetThatAlreadySanitizesAndWritesTheRestBesideIt) {
  const std::string project_presets = R"({"version": 4, "configurePresets": [
    {"name": "base", "hidden": true, "binaryDir": "${sourceDir}/build/${presetName}"},
    {"name": "asan", "inherits": "base", "cacheVariables": {"CMAKE_C_FLAGS": "-g -fsanitize=address"}},
    {"name": "plain", "inherits": "base"}]})";
  write("CMakePresets.json", project_presets);
  const InitPlan plan = plan_init(read_project_facts(dir_));
  EXPECT_EQ(plan.presets[1].preset, "asan");
  EXPECT_TRUE(plan.presets[1].existing);
  EXPECT_FALSE(plan.presets[0].existing);
  ASSERT_EQ(plan.files.size(), 2U);
  EXPECT_EQ(plan.files[1].path, dir_ / "CMakeUserPresets.json");
  apply_init(plan);
  EXPECT_EQ(read("CMakePresets.json"), project_presets);  // the project's file is untouched
  const auto user = nlohmann::json::parse(read("CMakeUserPresets.json"));
  EXPECT_EQ(user["version"], 4);
  ASSERT_EQ(user["configurePresets"].size(), 2U);  // valgrind and tsan; asan is the project's
  EXPECT_EQ(core::load_config(dir_ / "plumb.toml").variants[1].preset, "asan");
}

TEST_F(InitTest, ExtendsAUserPresetsFileAfterKeepingABackup) {
  const std::string mine =
      R"({"version": 3, "configurePresets": [{"name": "mine", "binaryDir": "/tmp/mine"}]})";
  write("CMakeUserPresets.json", mine);
  apply_init(plan_init(read_project_facts(dir_)));
  EXPECT_EQ(read("CMakeUserPresets.json.plumb-backup"), mine);
  const auto user = nlohmann::json::parse(read("CMakeUserPresets.json"));
  ASSERT_EQ(user["configurePresets"].size(), 4U);
  EXPECT_EQ(user["configurePresets"][0]["name"], "mine");
  EXPECT_FALSE(std::filesystem::exists(dir_ / "CMakePresets.json"));
}

TEST_F(InitTest, APresetNameThatIsTakenIsAUsageError) {
  write("CMakePresets.json", R"({"version": 3, "configurePresets": [{"name": "plumb-tsan"}]})");
  try {
    plan_init(read_project_facts(dir_));
    ADD_FAILURE() << "a taken preset name was accepted";
  } catch (const core::UsageError& error) {
    EXPECT_NE(std::string(error.what()).find("plumb-tsan"), std::string::npos) << error.what();
  }
}

// Flags only for the languages project() enables: CMake warns of a preset variable nothing reads.
TEST_F(InitTest, PresetsSetFlagsOnlyForTheProjectsLanguages) {
  apply_init(plan_init(read_project_facts(dir_)));  // project(cJSON VERSION 1.7 LANGUAGES C)
  const auto presets = nlohmann::json::parse(read("CMakePresets.json"));
  const auto& cache = presets["configurePresets"][1]["cacheVariables"];
  EXPECT_TRUE(cache.contains("CMAKE_C_FLAGS"));
  EXPECT_FALSE(cache.contains("CMAKE_CXX_FLAGS"));
  std::filesystem::remove(dir_ / "plumb.toml");
  std::filesystem::remove(dir_ / "CMakePresets.json");
  write("CMakeLists.txt", "project(q)\n");  // CMake's default: C and C++
  const ProjectFacts facts = read_project_facts(dir_);
  EXPECT_EQ(facts.name, "q");
  EXPECT_TRUE(facts.c && facts.cxx);
}

// In a git checkout whose .gitignore does not name plumb's folders, init says to add them.
TEST_F(InitTest, AGitCheckoutIsToldToIgnorePlumbsFolders) {
  std::filesystem::create_directories(dir_ / ".git");
  EXPECT_NE(plan_init(read_project_facts(dir_)).notes.at(0).find(".gitignore"), std::string::npos);
  write(".gitignore", "/build/\n/plumb-report/\n");
  EXPECT_TRUE(plan_init(read_project_facts(dir_)).notes.empty());
}

TEST_F(InitTest, AProjectWithoutTestsIsToldSo) {
  write("tests/CMakeLists.txt", "add_executable(t t.c)\n");
  const InitPlan plan = plan_init(read_project_facts(dir_));
  ASSERT_EQ(plan.notes.size(), 1U);
  EXPECT_NE(plan.notes[0].find("declares a test"), std::string::npos);
}

TEST_F(InitTest, AMalformedPresetsFileIsAUsageErrorNamingIt) {
  write("CMakePresets.json", "{ not json");
  try {
    read_project_facts(dir_);
    ADD_FAILURE() << "a malformed presets file was accepted";
  } catch (const core::UsageError& error) {
    EXPECT_NE(std::string(error.what()).find("CMakePresets.json"), std::string::npos) << error.what();
  }
}

// ctest's own progress lines, as ctest 3.25 printed them for libexpat's suite: a test that passed,
// and one its --timeout stopped (it takes at least that long).
TEST(InitTimings, ReadsEachTestsTimeFromCtestsProgress) {
  const NativeTimes passed = parse_ctest_progress(
      "Test project /src/expat/build\n"
      "    Start 1: runtests\n"
      "1/1 Test #1: runtests .........................   Passed   36.37 sec\n\n"
      "100% tests passed, 0 tests failed out of 1\n\nTotal Test time (real) =  36.37 sec\n");
  ASSERT_EQ(passed.seconds.size(), 1U);
  EXPECT_DOUBLE_EQ(passed.seconds.at("runtests"), 36.37);
  EXPECT_TRUE(passed.at_least.empty());
  const NativeTimes cut = parse_ctest_progress(
      "Test project /src/expat/build\n"
      "    Start 1: runtests\n"
      "1/1 Test #1: runtests .........................***Timeout   2.02 sec\n\n"
      "0% tests passed, 1 tests failed out of 1\n\nTotal Test time (real) =   2.03 sec\n\n"
      "The following tests FAILED:\n\t  1 - runtests (Timeout)\n");
  EXPECT_TRUE(cut.seconds.empty());
  EXPECT_DOUBLE_EQ(cut.at_least.at("runtests"), 2.02);
  const NativeTimes failed = parse_ctest_progress(
      "2/3 Test #2: with spaces in it ...............***Failed    1.50 sec\n"
      "3/3 Test #3: off .............................***Not Run   0.00 sec\n");
  EXPECT_TRUE(failed.seconds.empty());  // a failing test may have stopped early: a lower bound
  EXPECT_EQ(failed.failed.at("with spaces in it"), "Failed");
  EXPECT_DOUBLE_EQ(failed.at_least.at("with spaces in it"), 1.5);
  EXPECT_EQ(failed.failed.count("off"), 0U);
  EXPECT_EQ(failed.at_least.count("off"), 0U);
  // libexpat's runtests with a leak planted in XML_ParserFree: its own leak check crashes it after
  // 2.9 s of a 30 s run: at least 2.9 s, not 2.9 s.
  const NativeTimes crashed = parse_ctest_progress(
      "    Start 1: runtests\n"
      "1/1 Test #1: runtests .........................***Exception: SegFault  2.94 sec\n");
  EXPECT_TRUE(crashed.seconds.empty());
  EXPECT_EQ(crashed.failed.at("runtests"), "Exception: SegFault");
  EXPECT_DOUBLE_EQ(crashed.at_least.at("runtests"), 2.94);
}

// memcheck's x100 puts libexpat's runtests past the 900 s per-test limit, even timed at 11.5 s (it
// took 31 min of CPU under plumb's memcheck; x50 had kept it in the pr tier, where it timed out),
// and ASan's x15 past its 300 s; TSan's x20 does not. A test with a CTest TIMEOUT is past its
// scaled limit only when slower than it natively.
TEST(InitTimings, ATestIsTooSlowForAToolWhenItsNativeTimeTimesTheSlowdownPassesTheLimit) {
  NativeTimes times;
  times.seconds = {{"runtests", 36.37}, {"quick", 0.5}, {"bounded", 30}, {"runtests_on_a_quiet_day", 11.5}};
  times.ctest_timeout_s = {{"bounded", 60}};
  times.at_least = {{"endless", 120}};
  using core::Tool;
  const std::vector<SlowTest> memcheck = too_slow(Tool::Memcheck, times, tier_timeout_s(Tool::Memcheck));
  ASSERT_EQ(memcheck.size(), 3U);
  EXPECT_EQ(memcheck[0].test, "endless");
  EXPECT_TRUE(memcheck[0].cut);
  EXPECT_EQ(memcheck[1].test, "runtests");
  EXPECT_DOUBLE_EQ(memcheck[1].expected_s, 36.37 * 100);
  EXPECT_EQ(memcheck[2].test, "runtests_on_a_quiet_day");
  EXPECT_DOUBLE_EQ(memcheck[2].expected_s, 11.5 * 100);
  const std::vector<SlowTest> asan = too_slow(Tool::Asan, times, tier_timeout_s(Tool::Asan));
  ASSERT_EQ(asan.size(), 2U);
  EXPECT_EQ(asan[0].test, "endless");   // 1800 s > 300 s
  EXPECT_EQ(asan[1].test, "runtests");  // 546 s > 300 s
  // 727 s < 900 s; endless 2400 s
  EXPECT_EQ(too_slow(Tool::Tsan, times, tier_timeout_s(Tool::Tsan)).size(), 1U);
  times.seconds["bounded"] = 61;  // slower natively than its own TIMEOUT
  EXPECT_EQ(too_slow(Tool::Asan, times, tier_timeout_s(Tool::Asan)).size(), 3U);
}

// CTest's cost data in memcheck's (uninstrumented) tree: init writes the slow test out of memcheck's
// pr variant and into memcheck-slow, with its measured seconds; the other tools keep every test. A
// sanitizer tree's cost data is not a native time and is not read.
TEST_F(InitTest, CtestCostDataMakesTheConfigLeaveASlowTestToItsOwnVariant) {
  write("tests/CMakeLists.txt",
        "add_executable(t t.c)\nadd_test(NAME runtests COMMAND t)\nadd_test(NAME quick COMMAND t)\n");
  std::filesystem::create_directories(dir_ / "build" / "asan-own" / "Testing" / "Temporary");
  write("build/asan-own/CMakeCache.txt", "CMAKE_C_FLAGS:STRING=-fsanitize=address\n");
  write("build/asan-own/Testing/Temporary/CTestCostData.txt", "runtests 1 500\nquick 1 400\n---\n");
  const ProjectFacts facts = read_project_facts(dir_);
  EXPECT_FALSE(recorded_native_times(facts, choose_presets(facts)).has_value());
  std::filesystem::create_directories(dir_ / "build" / "plumb-valgrind" / "Testing" / "Temporary");
  write("build/plumb-valgrind/CMakeCache.txt", "CMAKE_C_FLAGS:STRING=-O1 -g -gdwarf-4\n");
  write("build/plumb-valgrind/Testing/Temporary/CTestCostData.txt", "runtests 1 36.3673\nquick 1 0.5\n---\n");
  const InitPlan plan = adopt(facts, nullptr, MeasureOptions{});
  const std::string text = read("plumb.toml");
  EXPECT_NE(text.find("#   runtests: 36.4s natively, about 1h00m37s under memcheck\n"), std::string::npos)
      << text;
  EXPECT_NE(
      text.find("timed by CTest's cost data in build/plumb-valgrind/Testing/Temporary/CTestCostData.txt"),
      std::string::npos)
      << text;
  const core::Config config = core::load_config(dir_ / "plumb.toml");
  ASSERT_EQ(config.variants.size(), 5U);
  EXPECT_EQ(config.variants[0].name, "memcheck");
  EXPECT_EQ(config.variants[0].ctest->exclude, "^runtests$");
  EXPECT_EQ(config.variants[0].tiers.count("pr"), 1U);
  EXPECT_EQ(config.variants[1].name, "memcheck-slow");
  EXPECT_EQ(config.variants[1].ctest->regex, "^runtests$");
  EXPECT_EQ(config.variants[1].tiers.count("pr"), 0U);
  ASSERT_EQ(config.variants[1].tiers.count("nightly"), 1U);
  EXPECT_GE(config.variants[1].tiers.at("nightly").timeout_s, 36.3673 * 100 * 3);
  EXPECT_EQ(config.variants[2].name, "asan");  // 36 s x15 = 9m06s > 300 s
  EXPECT_EQ(config.variants[2].ctest->exclude, "^runtests$");
  EXPECT_EQ(config.variants[3].name, "asan-slow");
  EXPECT_EQ(config.variants[4].name, "tsan");  // 36 s x20 = 12m07s < 900 s
  EXPECT_TRUE(config.variants[4].ctest->exclude.empty());
  ASSERT_EQ(plan.notes.size(), 3U);
  EXPECT_EQ(plan.notes[0],
            "timed 2 test(s) natively (CTest's cost data in build/plumb-valgrind/Testing/Temporary/"
            "CTestCostData.txt); the slowest, runtests, takes 36.4s");
  EXPECT_NE(plan.notes[1].find("runtests takes 36.4s natively, about 1h00m37s under memcheck"),
            std::string::npos)
      << plan.notes[1];
}

// Nothing recorded: init builds memcheck's preset, lists the tests (their TIMEOUTs) and runs ctest
// once natively with a per-test bound; a suite whose only test is too slow for memcheck gets no
// memcheck pr variant (an empty selection would be an error), only memcheck-slow.
TEST_F(InitTest, WithoutRecordedTimesItTimesTheTestsWithOneBoundedNativeCtestRun) {
  run::FakeRunner runner([](const run::ProcessSpec& spec) {
    run::FakeBehaviour behaviour;
    if (spec.argv.at(0) == "ctest" && spec.argv.at(1) == "--show-only=json-v1") {
      behaviour.files[spec.stdout_path.string()] =
          R"({"kind": "ctestInfo", "version": {"major": 1, "minor": 0}, "tests": [)"
          R"({"name": "t", "command": ["t"], "properties": []}]})";
    } else if (spec.argv.at(0) == "ctest") {
      behaviour.files[spec.stdout_path.string()] =
          "    Start 1: t\n1/1 Test #1: t ................................   Passed   40.00 sec\n";
    }
    return behaviour;
  });
  MeasureOptions options;
  options.per_test = std::chrono::seconds(120);
  const InitPlan plan = adopt(read_project_facts(dir_), &runner, options);
  ASSERT_EQ(runner.started().size(), 4U);
  EXPECT_EQ(runner.started()[0].argv, (std::vector<std::string>{"cmake", "--preset", "plumb-valgrind"}));
  EXPECT_EQ(runner.started()[1].argv.at(1), "--build");
  EXPECT_EQ(runner.started()[2].argv.at(1), "--show-only=json-v1");
  EXPECT_EQ(runner.started()[3].argv,
            (std::vector<std::string>{"ctest", "--test-dir", (dir_ / "build" / "plumb-valgrind").string(),
                                      "--timeout", "120"}));
  const std::string text = read("plumb.toml");
  EXPECT_NE(text.find("timed by `ctest` run natively in build/plumb-valgrind"), std::string::npos) << text;
  EXPECT_NE(text.find("# No other test is left for memcheck in the pr tier; memcheck-slow runs it"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("#   t: 40.0s natively, about 1h06m40s under memcheck"), std::string::npos) << text;
  const core::Config config = core::load_config(dir_ / "plumb.toml");
  ASSERT_EQ(config.variants.size(), 3U);
  EXPECT_EQ(config.variants[0].name, "memcheck-slow");
  EXPECT_EQ(config.variants[0].tiers.at("nightly").timeout_s, 12000);  // 3 x 4000 s, whole minutes
  EXPECT_EQ(config.variants[1].name, "asan-slow");                    // 40 s x15 = 600 s > 300 s
  EXPECT_EQ(config.variants[2].name, "tsan");                         // 40 s x20 = 800 s < 900 s
  EXPECT_FALSE(plan.notes.empty());
}

// A test the timing run did not reach is not known to be slow, and one that failed natively only as
// slow as its time: the tool's pr variant stays, leaving out only the test measured too slow.
TEST_F(InitTest, ATestNotTimedKeepsTheToolsPrVariant) {
  run::FakeRunner runner([](const run::ProcessSpec& spec) {
    run::FakeBehaviour behaviour;
    if (spec.argv.at(0) == "ctest" && spec.argv.at(1) == "--show-only=json-v1") {
      behaviour.files[spec.stdout_path.string()] =
          R"({"kind": "ctestInfo", "version": {"major": 1, "minor": 0}, "tests": [)"
          R"({"name": "t", "command": ["t"]}, {"name": "crashes", "command": ["c"]}, {"name": "u", "command": ["u"]}]})";
    } else if (spec.argv.at(0) == "ctest") {  // cut by the budget before u
      behaviour.files[spec.stdout_path.string()] =
          "1/3 Test #1: t ................................   Passed   40.00 sec\n"
          "2/3 Test #2: crashes ..........................***Exception: SegFault  2.94 sec\n";
    }
    return behaviour;
  });
  const InitPlan plan = adopt(read_project_facts(dir_), &runner, MeasureOptions{});
  const core::Config config = core::load_config(dir_ / "plumb.toml");
  ASSERT_EQ(config.variants.size(), 5U);
  EXPECT_EQ(config.variants[0].name, "memcheck");
  EXPECT_EQ(config.variants[0].ctest->exclude, "^t$");
  EXPECT_EQ(config.variants[1].name, "memcheck-slow");
  EXPECT_TRUE(std::any_of(plan.notes.begin(), plan.notes.end(), [](const std::string& note) {
    return note.find(
               "crashes failed natively (Exception: SegFault) while it was timed: its time, 2.9s, counts "
               "as a lower bound") != std::string::npos;
  }));
}

// --no-timing (no runner) and nothing recorded: the config init always wrote, nothing run.
TEST_F(InitTest, WithoutARunnerNothingIsTimed) {
  adopt(read_project_facts(dir_), nullptr, MeasureOptions{});
  const core::Config config = core::load_config(dir_ / "plumb.toml");
  ASSERT_EQ(config.variants.size(), 3U);
  EXPECT_EQ(read("plumb.toml").find("Too slow"), std::string::npos);
}

}  // namespace
}  // namespace plumb::init

// plumb init: what it reads off a CMake project and what it writes, never replacing a file the
// project has (plumb.toml is refused; a user presets file is extended after a backup).
#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "plumb/core/config.hpp"
#include "plumb/core/errors.hpp"
#include "plumb/init/init.hpp"

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
  EXPECT_EQ(config.variants[1].tool, "asan");
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

}  // namespace
}  // namespace plumb::init

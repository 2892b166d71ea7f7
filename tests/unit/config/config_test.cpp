// plumb.toml: a valid file is read completely; every malformed file names file:line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "plumb/core/config.hpp"
#include "plumb/core/errors.hpp"

namespace plumb::core {
namespace {

constexpr const char* kValid = R"(# comment
[project]
build_dir = "out"
suppressions = "supp/plumb.toml"
baseline = "supp/base.json"

[gate]
kinds = ["leak.definite", "race"]
fail_on_growth = false

[[variant]]
name = "memcheck"
preset = "valgrind"
tool = "memcheck"
target = "scan_leak"
canary = false
tool_args = ["--gen-suppressions=all"]
env = { SCAN_SEED = "7" }
[variant.tiers.pr]
args = ["--announcements", "200", "--samples", "{samples}"]
timeout_s = 120
[variant.tiers.nightly]
args = ["--announcements", "2000"]
timeout_s = 1800.5

[[variant]]
name = "plain"
tool = "native"
target = "/bin/true"
[variant.tiers.nightly]
)";

// The UsageError message of parsing `text` as "plumb.toml".
std::string error_of(const std::string& text) {
  try {
    parse_config(text, "plumb.toml");
  } catch (const UsageError& error) {
    return error.what();
  }
  return "no error";
}

const std::string kVariantHead = "[[variant]]\nname = \"v\"\ntool = \"native\"\ntarget = \"t\"\n";

TEST(Config, ReadsEverySetting) {
  const Config config = parse_config(kValid, "plumb.toml");
  EXPECT_EQ(config.project.build_dir, "out");
  EXPECT_EQ(config.project.suppressions, "supp/plumb.toml");
  EXPECT_EQ(config.project.baseline, "supp/base.json");
  EXPECT_EQ(config.gate.gating_kinds, (std::set<FindingKind>{FindingKind::LeakDefinite, FindingKind::Race}));
  EXPECT_FALSE(config.gate.fail_on_growth);
  ASSERT_EQ(config.variants.size(), 2u);
  const VariantConfig& memcheck = config.variants[0];
  EXPECT_EQ(memcheck.name, "memcheck");
  EXPECT_EQ(memcheck.preset, "valgrind");
  EXPECT_EQ(memcheck.tool, core::Tool::Memcheck);
  EXPECT_EQ(memcheck.target, "scan_leak");
  EXPECT_EQ(memcheck.line, 11);
  EXPECT_EQ(memcheck.tool_args, std::vector<std::string>{"--gen-suppressions=all"});
  EXPECT_EQ(memcheck.env.at("SCAN_SEED"), "7");
  EXPECT_EQ(memcheck.tiers.at("pr").args,
            (std::vector<std::string>{"--announcements", "200", "--samples", "{samples}"}));
  EXPECT_DOUBLE_EQ(memcheck.tiers.at("pr").timeout_s, 120);
  EXPECT_DOUBLE_EQ(memcheck.tiers.at("nightly").timeout_s, 1800.5);
  const VariantConfig& plain = config.variants[1];
  EXPECT_TRUE(plain.preset.empty());
  EXPECT_EQ(plain.tiers.count("pr"), 0u);
  EXPECT_TRUE(plain.tiers.at("nightly").args.empty());
  EXPECT_EQ(find_variant(config, "plain"), &config.variants[1]);
  EXPECT_EQ(find_variant(config, "absent"), nullptr);
}

TEST(Config, DefaultsGateAllButReachable) {
  const Config config = parse_config(kVariantHead + "[variant.tiers.pr]\n", "plumb.toml");
  EXPECT_EQ(config.project.build_dir, "build");
  EXPECT_EQ(config.project.suppressions, "suppressions/plumb.toml");
  EXPECT_EQ(config.project.baseline, "suppressions/baseline.json");
  EXPECT_TRUE(config.gate.fail_on_growth);
  EXPECT_EQ(config.gate.gating_kinds.count(FindingKind::LeakReachable), 0u);
  EXPECT_EQ(config.gate.gating_kinds.size(), std::size(kAllFindingKinds) - 1);
  EXPECT_DOUBLE_EQ(config.variants[0].tiers.at("pr").timeout_s, 900);
}

TEST(Config, SyntaxErrorNamesTheLine) {
  EXPECT_EQ(error_of("[project]\nbuild_dir = \"x\"\nbroken = \n").rfind("plumb.toml:3: ", 0), 0u)
      << error_of("[project]\nbuild_dir = \"x\"\nbroken = \n");
}

struct Malformed {
  std::string text;
  std::string expected;  // The exact "file:line: problem" prefix.
};

// Printed by gtest when a case fails (and never as raw bytes).
void PrintTo(const Malformed& malformed, std::ostream* out) {
  *out << malformed.expected;
}

class MalformedConfig : public testing::TestWithParam<Malformed> {};

TEST_P(MalformedConfig, IsAUsageErrorAtItsLine) {
  const std::string message = error_of(GetParam().text);
  EXPECT_EQ(message.rfind(GetParam().expected, 0), 0u) << message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, MalformedConfig,
    testing::Values(
        Malformed{"\n[projekt]\n", "plumb.toml:2: unknown key 'projekt'"},
        Malformed{"[project]\nbuild_dir = 3\n", "plumb.toml:2: project.build_dir must be a string"},
        Malformed{"[project]\n\ncolour = \"x\"\n", "plumb.toml:3: unknown key 'project.colour'"},
        Malformed{"project = 1\n", "plumb.toml:1: [project] must be a table"},
        Malformed{"[gate]\nkinds = [\"leak.definite\",\n \"leak.huge\"]\n",
                  "plumb.toml:3: unknown finding kind 'leak.huge'"},
        Malformed{"[gate]\nkinds = \"race\"\n", "plumb.toml:2: gate.kinds must be an array"},
        Malformed{"[gate]\nfail_on_growth = \"yes\"\n",
                  "plumb.toml:2: gate.fail_on_growth must be true or false"},
        Malformed{"[gate]\nstrict = true\n", "plumb.toml:2: unknown key 'gate.strict'"},
        Malformed{"variant = 3\n", "plumb.toml:1: variant must be written as [[variant]] tables"},
        Malformed{"[[variant]]\ntool = \"native\"\ntarget = \"t\"\n[variant.tiers.pr]\n",
                  "plumb.toml:1: variant has no name"},
        Malformed{"[[variant]]\nname = \"v\"\ntarget = \"t\"\n[variant.tiers.pr]\n",
                  "plumb.toml:1: variant 'v' has no tool"},
        Malformed{"[[variant]]\nname = \"v\"\ntool = \"native\"\n[variant.tiers.pr]\n",
                  "plumb.toml:1: variant 'v' has no target"},
        Malformed{kVariantHead, "plumb.toml:1: variant 'v' has no tier: add one [variant.tiers.NAME]"},
        Malformed{"[[variant]]\nname = \"v\"\ntool = \"helgrind\"\n",
                  "plumb.toml:3: unknown tool 'helgrind'"},
        Malformed{"[[variant]]\nname = \"a b\"\n", "plumb.toml:2: variant.name 'a b' must be"},
        Malformed{"[[variant]]\nname = \"..\"\n", "plumb.toml:2: variant.name '..' must not start with '.'"},
        Malformed{"[[variant]]\nname = \"build-logs\"\n",
                  "plumb.toml:2: variant.name 'build-logs' is the name"},
        Malformed{"[project]\ndefault_tier = \"weekly\"\n" + kVariantHead + "[variant.tiers.pr]\n",
                  "plumb.toml: project.default_tier 'weekly' is not a tier of any variant (declared: pr)"},
        Malformed{"[project]\nmax_findings_per_kind = -1\n",
                  "plumb.toml:2: project.max_findings_per_kind must be an integer >= 0"},
        Malformed{"[[variant]]\nname = \"v\"\ntarget = \"\"\n",
                  "plumb.toml:3: variant.target must not be empty"},
        Malformed{kVariantHead + "timeout = 3\n", "plumb.toml:5: unknown key 'variant.timeout'"},
        Malformed{kVariantHead + "canary = 1\n", "plumb.toml:5: variant.canary must be true or false"},
        Malformed{kVariantHead + "env = { A = 1 }\n", "plumb.toml:5: variant.env.A must be a string"},
        Malformed{kVariantHead + "tool_args = [\"a\", 2]\n",
                  "plumb.toml:5: variant.tool_args entries must be a string"},
        Malformed{kVariantHead + "[variant.tiers.\"week ly\"]\n",
                  "plumb.toml:5: tier name 'week ly' must be"},
        Malformed{kVariantHead + "[variant.tiers.pr]\nargs = \"--x\"\n",
                  "plumb.toml:6: variant.tiers.pr.args must be an array of strings"},
        Malformed{kVariantHead + "[variant.tiers.pr]\ntimeout_s = 0\n",
                  "plumb.toml:6: variant.tiers.pr.timeout_s must be positive"},
        Malformed{kVariantHead + "[variant.tiers.pr]\ntimeout_s = \"1m\"\n",
                  "plumb.toml:6: variant.tiers.pr.timeout_s must be a number"},
        Malformed{kVariantHead + "[variant.tiers.pr]\nretries = 2\n",
                  "plumb.toml:6: unknown key 'retries' in variant.tiers.pr"},
        Malformed{kVariantHead + "[variant.tiers.pr]\n" + kVariantHead + "[variant.tiers.pr]\n",
                  "plumb.toml:6: duplicate variant name 'v'"}));

TEST(Config, TiersAreTheConfigsOwnAndTheDefaultFollowsThem) {
  const Config weekly =
      parse_config(kVariantHead + "[variant.tiers.weekly]\n[variant.tiers.smoke]\n", "plumb.toml");
  EXPECT_EQ(weekly.tiers, (std::vector<std::string>{"smoke", "weekly"}));
  EXPECT_EQ(default_tier(weekly), "smoke");  // no pr: the first declared
  const Config with_pr =
      parse_config(kVariantHead + "[variant.tiers.weekly]\n[variant.tiers.pr]\n", "plumb.toml");
  EXPECT_EQ(default_tier(with_pr), "pr");
  const Config chosen = parse_config("[project]\ndefault_tier = \"weekly\"\n" + kVariantHead +
                                         "[variant.tiers.weekly]\n[variant.tiers.pr]\n",
                                     "plumb.toml");
  EXPECT_EQ(default_tier(chosen), "weekly");
}

TEST(Config, LoadNamesTheFileAndSetsTheRoot) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("plumb-config-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::filesystem::path file = dir / "custom.toml";
  std::ofstream(file) << kVariantHead << "[variant.tiers.pr]\nargs = [1]\n";
  try {
    load_config(file);
    ADD_FAILURE() << "no error";
  } catch (const UsageError& error) {
    EXPECT_EQ(std::string(error.what()).rfind(file.string() + ":6: ", 0), 0u) << error.what();
  }
  std::ofstream(file) << kVariantHead << "[variant.tiers.pr]\n";
  EXPECT_EQ(load_config(file).root, dir);
  EXPECT_THROW(load_config(dir / "absent.toml"), UsageError);
  std::filesystem::remove_all(dir);
}

// A CTest variant: the preset's test suite, selected as ctest -L/-R/-E would.
TEST(Config, ReadsACtestVariantAndItsSelection) {
  const Config config = parse_config(
      "[[variant]]\nname = \"all\"\npreset = \"dbg\"\ntool = \"memcheck\"\nctest = true\n"
      "[variant.tiers.pr]\ntimeout_s = 60\n"
      "[[variant]]\nname = \"unit\"\npreset = \"dbg\"\ntool = \"asan\"\n"
      "ctest = { label = \"unit\", regex = \"^json\", exclude = \"slow\" }\n[variant.tiers.pr]\n",
      "plumb.toml");
  ASSERT_EQ(config.variants.size(), 2U);
  ASSERT_TRUE(config.variants[0].ctest.has_value());
  EXPECT_EQ(config.variants[0].ctest->label, "");
  EXPECT_TRUE(config.variants[0].target.empty());
  ASSERT_TRUE(config.variants[1].ctest.has_value());
  EXPECT_EQ(config.variants[1].ctest->label, "unit");
  EXPECT_EQ(config.variants[1].ctest->regex, "^json");
  EXPECT_EQ(config.variants[1].ctest->exclude, "slow");
}

TEST(Config, RefusesWhatACtestVariantCannotMean) {
  const std::string head = "[[variant]]\nname = \"t\"\ntool = \"memcheck\"\n";
  const std::string tier = "[variant.tiers.pr]\n";
  EXPECT_NE(error_of(head + "ctest = true\n" + tier).find("has no preset"), std::string::npos);
  EXPECT_NE(error_of(head + "preset = \"p\"\ntarget = \"x\"\nctest = true\n" + tier)
                .find("target and program name one program"),
            std::string::npos);
  EXPECT_NE(error_of(head + "preset = \"p\"\nctest = true\ncwd = \"d\"\n" + tier).find("WORKING_DIRECTORY"),
            std::string::npos);
  EXPECT_NE(error_of(head + "preset = \"p\"\nctest = true\ncanary = true\n" + tier).find("canary"),
            std::string::npos);
  EXPECT_NE(error_of(head + "preset = \"p\"\nctest = true\n[variant.tiers.pr]\nargs = [\"-v\"]\n")
                .find("each test's command comes from CTest"),
            std::string::npos);
  EXPECT_NE(error_of(head + "preset = \"p\"\nctest = { labels = \"x\" }\n" + tier)
                .find("unknown key 'variant.ctest.labels'"),
            std::string::npos);
  EXPECT_NE(error_of(head + "preset = \"p\"\nctest = false\n" + tier).find("leave the key out"),
            std::string::npos);
  EXPECT_EQ(error_of(head + "preset = \"p\"\n" + tier).find("plumb.toml:1:"), 0U);
}

// The executable can live anywhere in the build tree: program names it apart from the target.
TEST(Config, ReadsTheProjectsOwnWrappers) {
  const Config config =
      parse_config("[project]\nwrappers = [\"run-suite\", \"ruby\"]\n[[variant]]\nname = \"v\"\ntool = \"native\"\n"
                   "target = \"t\"\nexit_code_only = true\n[variant.tiers.pr]\n",
                   "plumb.toml");
  EXPECT_EQ(config.project.wrappers, (std::vector<std::string>{"run-suite", "ruby"}));
  try {
    parse_config("[project]\nwrappers = \"sh\"\n[[variant]]\nname = \"v\"\ntool = \"native\"\n"
                 "target = \"t\"\nexit_code_only = true\n[variant.tiers.pr]\n",
                 "plumb.toml");
    ADD_FAILURE() << "a wrappers string is not a list";
  } catch (const UsageError& error) {
    EXPECT_NE(std::string(error.what()).find("project.wrappers"), std::string::npos) << error.what();
  }
}

TEST(Config, ReadsAProgramPathApartFromTheTarget) {
  const Config config = parse_config(
      "[[variant]]\nname = \"t\"\npreset = \"dbg\"\ntool = \"memcheck\"\ntarget = \"cjson_test\"\n"
      "program = \"tests/cjson_test\"\n[variant.tiers.pr]\n",
      "plumb.toml");
  EXPECT_EQ(config.variants[0].target, "cjson_test");
  EXPECT_EQ(config.variants[0].program, "tests/cjson_test");
  EXPECT_NE(error_of("[[variant]]\nname = \"t\"\ntool = \"native\"\ntarget = \"x\"\nprogram = \"y\"\n"
                     "[variant.tiers.pr]\n")
                .find("program but no preset"),
            std::string::npos);
}

}  // namespace
}  // namespace plumb::core

// plumb run on CTest suites written the way real ones are: tests that run their program through a
// wrapper (tests/integration/fixtures/wrapped) and tests judged by CTest's own pass rules
// (tests/integration/fixtures/ctest_rules), each project copied, built by plumb and run for real.
#include <regex>

#include "plumb_it.hpp"

namespace plumb::integration {
namespace {

using nlohmann::json;

// A copy of the fixture project `fixture` in the scratch folder, with `config` as its plumb.toml.
std::filesystem::path copy_project(const std::filesystem::path& fixture, const std::filesystem::path& scratch,
                                   const std::string& config) {
  const std::filesystem::path project = scratch / "project";
  std::filesystem::copy(fixture, project, std::filesystem::copy_options::recursive);
  std::ofstream(project / "plumb.toml") << config;
  return project;
}

std::string ctest_variant(const std::string& name, const std::string& preset, const std::string& tool) {
  return "[[variant]]\nname = \"" + name + "\"\npreset = \"" + preset + "\"\ntool = \"" + tool +
         "\"\nctest = true\n[variant.tiers.pr]\ntimeout_s = 240\n";
}

const json* variant_named(const json& report, const std::string& name) {
  for (const json& variant : report["variants"]) {
    if (variant["name"] == name) {
      return &variant;
    }
  }
  return nullptr;
}

// Per test of `suite`: the bytes of definite leaks its own processes had (the findings' shares, or
// the finding itself when one test alone saw it).
std::map<std::string, std::uint64_t> leaked_bytes_per_test(const json& report, const std::string& suite) {
  std::map<std::string, std::uint64_t> bytes;
  for (const json& finding : report["findings"]) {
    if (finding["kind"] != "leak.definite") {
      continue;
    }
    if (finding.contains("shares") && !finding["shares"].empty()) {
      for (const json& share : finding["shares"]) {
        for (const json& variant : share["variants"]) {
          bytes[variant.get<std::string>().substr(suite.size() + 1)] += share["bytes"].get<std::uint64_t>();
        }
      }
    } else {
      for (const json& variant : finding["variants"]) {
        bytes[variant.get<std::string>().substr(suite.size() + 1)] += finding["bytes"].get<std::uint64_t>();
      }
    }
  }
  return bytes;
}

// What the wrapped suite proves under `tool`: each wrapped program's leak is found, in its own
// test, with the bytes it leaked; the wrappers (bash, sh, env, cmake, python) add no finding; no
// test is an error.
void expect_wrapped_leaks_found(const json& report, const std::string& suite, const std::string& tool) {
  EXPECT_EQ(report["verdict"], "fail") << report["reasons"].dump(2);
  const std::map<std::string, std::uint64_t> expected = {
      {"bash_run", 101}, {"sh_c", 102}, {"cmake_env", 103}, {"env_exec", 104}, {"python_driver", 105}};
  EXPECT_EQ(leaked_bytes_per_test(report, suite), expected) << report["findings"].dump(2);
  for (const json& finding : report["findings"]) {
    // Every finding is the program's: its leak, at forget() in ledger.c.
    EXPECT_NE(finding["kind"], "fd.leak") << finding.dump(2);
    if (finding["kind"] == "leak.definite") {
      EXPECT_NE(finding.dump().find("ledger.c"), std::string::npos) << finding.dump(2);
    }
    EXPECT_TRUE(finding["kind"] == "leak.definite" || finding["kind"] == "leak.reachable") << finding.dump(2);
  }
  for (const std::string test : {"bash_run", "sh_c", "cmake_env", "env_exec", "python_driver", "clean_through_bash"}) {
    const json* variant = variant_named(report, suite + "/" + test);
    ASSERT_NE(variant, nullptr) << test;
    EXPECT_TRUE((*variant)["errors"].empty()) << test << ": " << variant->dump(2);
    EXPECT_EQ((*variant)["tool"], tool);
    EXPECT_EQ((*variant)["verdict"], test == "clean_through_bash" ? "pass" : "fail") << variant->dump(2);
  }
  for (const json& reason : report["reasons"]) {
    EXPECT_NE(reason["verdict"], "error") << reason.dump();
  }
}

TEST(PlumbCtestSuites, MemcheckFollowsTheProgramThroughItsWrapperAndNeverJudgesTheWrapper) {
  PLUMB_SKIP_IF_NESTED();
  if (!on_path("valgrind") || !on_path("cmake") || !on_path("python3")) {
    GTEST_SKIP() << "needs valgrind, cmake and python3";
  }
  ScratchDir scratch;
  const auto project = copy_project(WRAPPED_FIXTURE_DIR, scratch.path(), ctest_variant("memcheck", "valgrind", "memcheck"));
  const PlumbRun run = run_plumb({"run", "--out", "out"}, project, {}, std::chrono::seconds(280));
  EXPECT_EQ(run.exit_code, 1) << run.stderr_text << run.stdout_text;
  const json report = read_report(project / "out");
  expect_wrapped_leaks_found(report, "memcheck", "memcheck");
  // The wrapper's own logs are kept beside the program's, for reading.
  const json* bash = variant_named(report, "memcheck/bash_run");
  ASSERT_NE(bash, nullptr);
  int memcheck_logs = 0;
  for (const json& log : (*bash)["logs"]) {
    memcheck_logs += log.get<std::string>().find("/memcheck.") != std::string::npos ? 1 : 0;
  }
  EXPECT_EQ(memcheck_logs, 3) << "bash and the two ledger runs it forks: " << bash->dump(2);
}

TEST(PlumbCtestSuites, AsanChecksTheProgramAWrapperRunsNotTheWrapper) {
  PLUMB_SKIP_IF_NESTED();
  if (!on_path("cmake") || !on_path("python3")) {
    GTEST_SKIP() << "needs cmake and python3";
  }
  ScratchDir scratch;
  const auto project = copy_project(WRAPPED_FIXTURE_DIR, scratch.path(), ctest_variant("asan", "asan", "asan"));
  const PlumbRun run = run_plumb({"run", "--out", "out"}, project, {}, std::chrono::seconds(280));
  EXPECT_EQ(run.exit_code, 1) << run.stderr_text << run.stdout_text;
  EXPECT_EQ(run.stderr_text.find("not built with"), std::string::npos) << run.stderr_text;
  expect_wrapped_leaks_found(read_report(project / "out"), "asan", "asan");
}

TEST(PlumbCtestSuites, AsanStillRefusesAnUninstrumentedProgramBehindAWrapper) {
  PLUMB_SKIP_IF_NESTED();
  if (!on_path("cmake") || !on_path("python3")) {
    GTEST_SKIP() << "needs cmake and python3";
  }
  ScratchDir scratch;
  // The valgrind preset builds ledger without ASan: every wrapped test names it, so each is refused.
  const auto project = copy_project(WRAPPED_FIXTURE_DIR, scratch.path(), ctest_variant("asan", "valgrind", "asan"));
  const PlumbRun run = run_plumb({"run", "--out", "out", "--exclude-test", "python|env|cmake|sh_c|clean"}, project);
  EXPECT_EQ(run.exit_code, 3) << run.stderr_text << run.stdout_text;
  const json report = read_report(project / "out");
  ASSERT_EQ(report["variants"].size(), 1U) << report["variants"].dump(2);
  const json& bash = report["variants"][0];
  EXPECT_EQ(bash["name"], "asan/bash_run");
  EXPECT_EQ(bash["verdict"], "error");
  EXPECT_NE(bash.dump().find("ledger: not built with AddressSanitizer"), std::string::npos) << bash.dump(2);
  EXPECT_NE(bash.dump().find("the program the test's wrapper runs"), std::string::npos) << bash.dump(2);
}

// A test that checks the descriptors a program it execs inherits passes natively: under a sanitizer,
// plumb's proof that the runtime ran must be written at exit, never through a log the runtime opens
// at start-up (which every exec'd program inherits: TSan's verbosity=1 banner failed it with
// "unexpected open fd 4 (.../tsan.<pid>)", as it failed leveldb's env_posix_test).
TEST(PlumbCtestSuites, SanitizersLeaveNoDescriptorInTheProgramsATestExecs) {
  PLUMB_SKIP_IF_NESTED();
  if (!on_path("cmake")) {
    GTEST_SKIP() << "needs cmake";
  }
  ScratchDir scratch;
  const auto project = copy_project(FD_HYGIENE_FIXTURE_DIR, scratch.path(),
                                    ctest_variant("tsan", "tsan", "tsan") + ctest_variant("asan", "asan", "asan"));
  const PlumbRun run = run_plumb({"run", "--out", "out"}, project, {}, std::chrono::seconds(280));
  EXPECT_EQ(run.exit_code, 0) << run.stderr_text << run.stdout_text;
  const json report = read_report(project / "out");
  EXPECT_EQ(report["verdict"], "pass") << report["reasons"].dump(2);
  for (const std::string name : {"tsan/cloexec", "asan/cloexec"}) {
    const json* variant = variant_named(report, name);
    ASSERT_NE(variant, nullptr) << name << ": " << report["variants"].dump(2);
    EXPECT_EQ((*variant)["exit_code"], 0) << variant->dump(2);
    EXPECT_EQ((*variant)["verdict"], "pass") << variant->dump(2);
    // Two processes ran under the runtime (the test and the program it exec'd): a log each.
    int runtime_logs = 0;
    for (const json& log : (*variant)["logs"]) {
      const std::string path = log.get<std::string>();
      runtime_logs += path.find("/tsan.") != std::string::npos || path.find("/asan.") != std::string::npos ? 1 : 0;
    }
    EXPECT_EQ(runtime_logs, 2) << variant->dump(2);
  }
}

// pass, fail or skipped per test, as CTest's JUnit says: a "notrun" test whose <skipped> is not
// one of CTest's skips (a REQUIRED_FILES entry missing) CTest lists under FAILED and exits non-zero
// on (a REQUIRED_FILES entry missing, a fixture's setup failed): a failure; "disabled" is a skip.
std::map<std::string, std::string> ctest_verdicts(const std::string& junit) {
  std::map<std::string, std::string> verdicts;
  const std::regex testcase(R"re(<testcase name="([^"]+)"[^>]*status="([a-z]+)">\s*(<skipped message="([^"]*)")?)re");
  for (auto it = std::sregex_iterator(junit.begin(), junit.end(), testcase); it != std::sregex_iterator(); ++it) {
    const std::string status = (*it)[2];
    const std::string skipped = (*it)[4];
    const bool ctest_skip = skipped.rfind("SKIP_", 0) == 0;
    verdicts[(*it)[1]] = status == "run"                   ? "pass"
                         : status == "disabled" || ctest_skip ? "skipped"
                                                              : "fail";
  }
  return verdicts;
}

// The same from plumb's junit.xml (its <error> counts as a failure: CTest has no error).
std::map<std::string, std::string> plumb_verdicts(const std::string& junit) {
  std::map<std::string, std::string> verdicts;
  const std::regex testcase(R"re(<testcase classname="plumb\.[^"]+" name="([^"]+)"[^>]*>(<(skipped|failure|error))?)re");
  for (auto it = std::sregex_iterator(junit.begin(), junit.end(), testcase); it != std::sregex_iterator(); ++it) {
    const std::string tag = (*it)[3];
    verdicts[(*it)[1]] = tag.empty() ? "pass" : tag == "skipped" ? "skipped" : "fail";
  }
  return verdicts;
}

TEST(PlumbCtestSuites, EveryTestHasCtestsOwnVerdictUnderItsPassRules) {
  PLUMB_SKIP_IF_NESTED();
  if (!on_path("cmake") || !on_path("ctest")) {
    GTEST_SKIP() << "needs cmake and ctest";
  }
  ScratchDir scratch;
  const auto project = copy_project(CTEST_RULES_FIXTURE_DIR, scratch.path(), ctest_variant("native", "native", "native"));
  const PlumbRun run = run_plumb({"run", "--out", "out", "--jobs", "3"}, project);
  const std::string plumb_junit = read_file(project / "out" / "junit.xml");
  // CTest itself, on the tree plumb built, as the oracle.
  ASSERT_EQ(std::system(("cd '" + project.string() + "' && ctest --test-dir build/native -j3 --output-junit ctest.xml >ctest.out 2>&1").c_str()) == 0, false)
      << "the suite has failing tests: ctest must say so";
  const std::map<std::string, std::string> expected = ctest_verdicts(read_file(project / "build" / "native" / "ctest.xml"));
  ASSERT_EQ(expected.size(), 17U) << read_file(project / "build" / "native" / "ctest.xml");
  EXPECT_EQ(plumb_verdicts(plumb_junit), expected) << plumb_junit << run.stderr_text;
  // Spelled out, so the oracle cannot drift unnoticed.
  EXPECT_EQ(expected.at("skip_code"), "skipped");
  EXPECT_EQ(expected.at("skip_regex"), "skipped");
  EXPECT_EQ(expected.at("disabled"), "skipped");
  EXPECT_EQ(expected.at("pass_regex_beats_exit_code"), "pass");
  EXPECT_EQ(expected.at("pass_regex_not_printed"), "fail");
  EXPECT_EQ(expected.at("uses_fixture"), "pass");
  EXPECT_EQ(expected.at("lock_a"), "pass");
  EXPECT_EQ(expected.at("needs_broken"), "fail") << "not run: its fixture's setup failed";
  EXPECT_EQ(run.exit_code, 3) << "the timed-out test cannot be judged: " << run.stderr_text;
  const json report = read_report(project / "out");
  const json* skipped = variant_named(report, "native/skip_code");
  ASSERT_NE(skipped, nullptr);
  EXPECT_EQ((*skipped)["status"], "skipped");
  EXPECT_EQ((*skipped)["verdict"], "pass");
  EXPECT_EQ((*skipped)["skipped_by_rule"], true);
  EXPECT_NE(plumb_junit.find("<skipped message=\"skipped: it exited with its SKIP_RETURN_CODE 77\"/>"), std::string::npos)
      << plumb_junit;
}

// The same rules hold under a tool: each test, its fixture's setup and cleanup run under memcheck,
// and CTest's verdict is plumb's except the test that outlives its TIMEOUT of 1 s natively: under
// memcheck its limit is 50 s (TIMEOUT times memcheck's slowdown), so its 4 s pass.
TEST(PlumbCtestSuites, CtestsRulesHoldUnderMemcheckWithItsTimeoutScaled) {
  PLUMB_SKIP_IF_NESTED();
  if (!on_path("cmake") || !on_path("ctest") || !on_path("valgrind")) {
    GTEST_SKIP() << "needs cmake, ctest and valgrind";
  }
  ScratchDir scratch;
  const auto project =
      copy_project(CTEST_RULES_FIXTURE_DIR, scratch.path(), ctest_variant("memcheck", "native", "memcheck"));
  const PlumbRun run = run_plumb({"run", "--out", "out", "--jobs", "3"}, project, {}, std::chrono::seconds(280));
  const std::string plumb_junit = read_file(project / "out" / "junit.xml");
  ASSERT_NE(std::system(("cd '" + project.string() +
                         "' && ctest --test-dir build/native -j3 --output-junit ctest.xml >ctest.out 2>&1")
                            .c_str()),
            0);
  std::map<std::string, std::string> expected = ctest_verdicts(read_file(project / "build" / "native" / "ctest.xml"));
  ASSERT_EQ(expected.at("timeout"), "fail");
  expected["timeout"] = "pass";
  EXPECT_EQ(plumb_verdicts(plumb_junit), expected) << plumb_junit << run.stderr_text;
  EXPECT_EQ(run.exit_code, 1) << "failing tests, no error: " << run.stderr_text;
  const json report = read_report(project / "out");
  const json* setup = variant_named(report, "memcheck/fixture_setup");
  ASSERT_NE(setup, nullptr);
  EXPECT_EQ((*setup)["tool"], "memcheck");
  EXPECT_EQ((*setup)["status"], "ok");
}

}  // namespace
}  // namespace plumb::integration

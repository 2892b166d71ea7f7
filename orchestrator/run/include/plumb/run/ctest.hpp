// A CMake project's CTest suite as plumb runs it: the test list from CTest itself
// (`ctest --show-only=json-v1`), then one run per test under the variant's tool.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plumb/core/config.hpp"
#include "plumb/core/model.hpp"
#include "plumb/run/plan.hpp"
#include "plumb/run/process.hpp"

namespace plumb::run {

// One test as CTest lists it.
struct CtestTest {
  std::string name;
  std::vector<std::string> command;        // Empty: CTest has no command for it in this configuration.
  std::filesystem::path cwd;               // WORKING_DIRECTORY; empty: the build tree.
  std::map<std::string, std::string> env;  // ENVIRONMENT, NAME=VALUE entries split at the first '='.
  std::vector<std::string> labels;         // LABELS.
  double timeout_s = 0;                    // TIMEOUT; 0: none given.
  bool will_fail = false;                  // WILL_FAIL: a non-zero exit is the test passing.
  bool disabled = false;                   // DISABLED: CTest does not run it either.
  CtestRules rules;                        // SKIP_RETURN_CODE and the PASS/FAIL/SKIP regular expressions.
  std::vector<std::string> required_files;     // REQUIRED_FILES: not run (skipped) when one is missing.
  std::vector<std::string> fixtures_setup;     // FIXTURES_SETUP: runs before the tests requiring these.
  std::vector<std::string> fixtures_required;  // FIXTURES_REQUIRED.
  std::vector<std::string> fixtures_cleanup;   // FIXTURES_CLEANUP: runs after the tests requiring these.
  std::vector<std::string> resource_locks;     // RESOURCE_LOCK: never runs beside a test holding one.
  bool run_serial = false;                     // RUN_SERIAL: never runs beside any other test.
};

// The argv that lists the tests of `build_tree`: ctest --show-only=json-v1 --test-dir TREE plus
// the selection's -L/-R/-E.
std::vector<std::string> ctest_list_command(const std::filesystem::path& build_tree,
                                            const core::CtestSelection& selection);

// Parses CTest's json-v1 listing; throws core::UsageError "source: problem" when it is not one.
std::vector<CtestTest> parse_ctest_listing(std::string_view json, const std::string& source);

// The index of the test named `name` in `tests`, or nullopt.
std::optional<std::size_t> find_ctest_test(const std::vector<CtestTest>& tests, std::string_view name);

// A test's time limit under `tool`: its CTest TIMEOUT times the tool's slowdown (core::ToolSpec)
// when it has one, else the tier's timeout_s (<= 0: none).
double test_timeout(core::Tool tool, double ctest_timeout_s, double tier_timeout_s);

// "ctest lists no test named 'NAME' in TREE (it lists: a, b, ...)": what a missing --test says.
std::string no_such_test_message(const std::vector<CtestTest>& tests, std::string_view name,
                                 const std::filesystem::path& build_tree);

// A folder name for a test: its name with every character check_path_name refuses replaced by
// '_', cut to 80 bytes, prefixed with its 1-based position ("03-merge") so that names stay distinct.
std::string test_folder_name(std::string_view test, std::size_t position);

// The run of one test of `suite` (a plan made by plan_variant for a ctest variant): the test's
// command under the suite's tool, in the test's working directory, with its environment; logs in
// <suite out_dir>/<test_folder_name>. Named "<variant>/<test>".
PlannedRun plan_ctest_test(const PlannedRun& suite, const CtestTest& test, std::size_t position);

// The REQUIRED_FILES of `test` that do not exist (relative ones read from its working directory,
// else `build_tree`), as CTest checks them before it starts a test.
std::vector<std::string> missing_required_files(const CtestTest& test, const std::filesystem::path& build_tree);

// `tests` in the order fixtures need: each fixture's setup tests before the tests requiring it,
// its cleanup tests after them, the rest in CTest's order. Returns indexes into `tests`.
std::vector<std::size_t> fixture_order(const std::vector<CtestTest>& tests);

// Judges a finished test the way CTest does once it exited: a PASS_REGULAR_EXPRESSION decides
// instead of the exit code; a FAIL_REGULAR_EXPRESSION match fails it; SKIP_RETURN_CODE or a
// SKIP_REGULAR_EXPRESSION match skips it (status skipped, VariantResult::skipped_by_rule); then
// WILL_FAIL. `output` is what the test printed (stdout then stderr). Runs killed or crashed are
// left as they are.
void apply_ctest_rules(const PlannedRun& plan, std::string_view output, core::VariantResult& result);

// apply_ctest_rules on a test that ended, when `plan` is one CTest test, with what it printed (its
// stdout.log, then its stderr.log); a run of anything else is left as it is.
void judge_ctest_test(const PlannedRun& plan, core::VariantResult& result);

// Runs `suite`'s listing command (its spec) to the end and parses what it printed; throws
// core::InfrastructureError naming the logs when ctest fails or prints no list, or on a stop request.
std::vector<CtestTest> list_ctest_tests(ProcessRunner& runner, const PlannedRun& suite,
                                        const std::function<bool()>& stop_requested);

}  // namespace plumb::run

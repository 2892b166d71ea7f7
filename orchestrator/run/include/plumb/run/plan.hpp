// From a configured variant (or an exec command) to one concrete run: process, logs, limits.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plumb/core/config.hpp"
#include "plumb/run/process.hpp"
#include "plumb/run/tool_adapter.hpp"

namespace plumb::run {

// What a CTest variant needs to list its tests and plan one run per test (run/ctest.hpp).
struct CtestSuite {
  core::CtestSelection selection;
  std::filesystem::path native_suppressions;  // As ToolContext's.
  std::vector<std::string> tool_args;         // As the variant's.
  std::map<std::string, std::string> env;     // The variant's, added to each test's own.
  double timeout_s = 0;                       // The tier's, for each test.
  std::vector<std::string> wrappers;          // project.wrappers, added to core::kWrapperPrograms.
};

// CTest's verdict rules for one test besides WILL_FAIL (run/ctest.hpp applies them).
struct CtestRules {
  int skip_return_code = -1;            // SKIP_RETURN_CODE; -1: none.
  std::vector<std::string> pass_regex;  // PASS_REGULAR_EXPRESSION: the output decides, not the exit code.
  std::vector<std::string> fail_regex;  // FAIL_REGULAR_EXPRESSION: a match fails the test.
  std::vector<std::string> skip_regex;  // SKIP_REGULAR_EXPRESSION: a match skips the test.
};

// Everything the scheduler needs to run one variant and find its logs.
struct PlannedRun {
  std::string name;
  core::Tool tool = core::Tool::Native;
  bool canary = false;
  std::string preset;  // The CMake preset that builds its program; empty for none.
  bool exit_code_only =
      false;  // A native run without samples that its config accepts as judged by exit code.
  std::filesystem::path out_dir;  // <report dir>/<name>, absolute.
  ProcessSpec spec;
  std::vector<LogSpec> logs;
  double timeout_s = 0;              // <= 0: no limit.
  std::string command;               // Shell-quoted argv.
  std::string repro;                 // cd + environment + argv.
  std::optional<CtestSuite> ctest;   // Set: spec lists the suite's tests; the pipeline runs each.
  std::string suite;                 // For one CTest test: the variant it belongs to.
  std::string test;                  // For one CTest test: its name as CTest knows it.
  bool expect_failure = false;       // WILL_FAIL: a non-zero exit is the expected end.
  CtestRules ctest_rules;            // For one CTest test: its other verdict rules.
  std::vector<std::string> locks;    // RESOURCE_LOCK: never started while a run holding one runs.
  bool run_serial = false;           // RUN_SERIAL: never started beside another run, nor another beside it.
  std::vector<std::size_t> after;    // Indexes (in the scheduler's list) of runs that must end before it starts.
  std::vector<std::size_t> needs_passed;  // Of those, the ones that must also pass (its fixtures' setups):
                                          // when one does not, it is not run, and failed (as CTest says).
  double ctest_timeout_s = 0;        // For one CTest test: its TIMEOUT, which timeout_s scales; 0: none.
  std::optional<double> native_s;  // For one CTest test: how long it takes natively, from CTest's cost data.
  std::string native_where;        // The cost data file native_s was read from.
  std::filesystem::path build_tree;  // The preset's binary folder (where CTest lists the tests); empty
                                     // without a preset.
  std::vector<std::string> wrappers;  // Program names added to core::kWrapperPrograms (project.wrappers).
  bool follows_children = false;      // The tool follows every process the command starts (a CTest
                                      // test); the logs of a wrapper's own process are never judged.
  std::string cmake_target;          // Set when the program is only guessed (bin/<target>): the target whose
                                     // executable CMake's file API names in build_tree after the build.
  std::vector<std::string> disabled_detection;  // What its tool_args switch off, one line each (report note).
};

// The executable of a variant: <root>/<build_dir>/<preset>/<program>, else .../bin/<target>, or
// the target itself (relative to root when it holds a '/', else a name on PATH) when the preset is
// empty.
std::string variant_program(const core::Config& config, const core::VariantConfig& variant);

// Whether `plan.out_dir` holds nothing but the log files a run of it writes (no folder, no link):
// a variant folder an earlier plumb made before folders carried the marker.
bool holds_only_its_logs(const PlannedRun& plan);

// Adds the run's own logs (stdout, stderr, samples when `reads_samples`) to a plan whose tool
// has wrapped its command, sets `extra_env` over the tool's environment and writes its shell lines.
PlannedRun finish_plan(PlannedRun plan, ToolInvocation invocation, bool reads_samples,
                       const std::map<std::string, std::string>& extra_env);

// The same run with its program at `program` (where CMake put it) instead of spec.target: every
// argv entry naming the old path, spec.target, command and repro.
void relocate_program(PlannedRun& plan, const std::filesystem::path& program);

// Replaces {out}, {samples} and {root} in one argument.
std::string expand_placeholders(std::string_view arg, const std::filesystem::path& out_dir,
                                const std::filesystem::path& root);

// The run of `variant` in `tier` with its logs under report_dir/<name>; throws core::UsageError
// when the variant has no such tier.
PlannedRun plan_variant(const core::Config& config, const core::VariantConfig& variant, std::string_view tier,
                        const std::filesystem::path& report_dir);

// The run of an arbitrary command under `tool` (plumb exec), logs under report_dir/<name>;
// `exit_code_only` accepts a native run that writes no samples as judged by its exit code;
// `tool_args` are extra valgrind options or KEY=VALUE *SAN_OPTIONS, as a variant's tool_args.
PlannedRun plan_command(std::string name, core::Tool tool, const std::vector<std::string>& command,
                        double timeout_s, const std::filesystem::path& report_dir,
                        const std::filesystem::path& native_suppressions, bool exit_code_only = false,
                        const std::vector<std::string>& tool_args = {});

}  // namespace plumb::run

#include "plumb/run/ctest.hpp"

#include <algorithm>
#include <regex>

#include <nlohmann/json.hpp>

#include "plumb/core/errors.hpp"
#include "plumb/core/output_dir.hpp"
#include "plumb/core/strings.hpp"
#include "plumb/core/text_file.hpp"
#include "plumb/core/tools.hpp"
#include "plumb/run/tool_adapter.hpp"

namespace plumb::run {
namespace {

using nlohmann::json;

constexpr std::size_t kFolderNameBytes = 80;

[[noreturn]] void malformed(const std::string& source, const std::string& problem) {
  throw core::UsageError(core::located_message(source, 0, "not a CTest json-v1 test list: " + problem));
}

std::vector<std::string> strings_in(const json& value, const std::string& source, const std::string& what) {
  std::vector<std::string> out;
  if (value.is_string()) {
    out.push_back(value.get<std::string>());
    return out;
  }
  if (!value.is_array()) {
    malformed(source, what + " is neither a string nor a list of strings");
  }
  for (const json& item : value) {
    if (!item.is_string()) {
      malformed(source, what + " holds a value that is not a string");
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

void read_property(const json& property, CtestTest& test, const std::string& source) {
  if (!property.is_object() || !property.contains("name") || !property["name"].is_string() ||
      !property.contains("value")) {
    malformed(source, "test '" + test.name + "' has a property without a name and value");
  }
  const std::string name = property["name"].get<std::string>();
  const json& value = property["value"];
  const std::string what = "test '" + test.name + "' property " + name;
  if (name == "WORKING_DIRECTORY") {
    test.cwd = strings_in(value, source, what).front();
  } else if (name == "ENVIRONMENT") {
    for (const std::string& entry : strings_in(value, source, what)) {
      const std::size_t equals = entry.find('=');
      if (equals == std::string::npos || equals == 0) {
        malformed(source, what + " entry '" + entry + "' is not NAME=VALUE");
      }
      test.env[entry.substr(0, equals)] = entry.substr(equals + 1);
    }
  } else if (name == "LABELS") {
    test.labels = strings_in(value, source, what);
  } else if (name == "TIMEOUT") {
    if (!value.is_number()) {
      malformed(source, what + " is not a number");
    }
    test.timeout_s = value.get<double>();
  } else if (name == "WILL_FAIL") {
    test.will_fail = value.is_boolean() ? value.get<bool>() : value == "ON" || value == "TRUE";
  } else if (name == "DISABLED") {
    test.disabled = value.is_boolean() ? value.get<bool>() : value == "ON" || value == "TRUE";
  } else if (name == "RUN_SERIAL") {
    test.run_serial = value.is_boolean() ? value.get<bool>() : value == "ON" || value == "TRUE";
  } else if (name == "SKIP_RETURN_CODE") {
    if (!value.is_number_integer()) {
      malformed(source, what + " is not an integer");
    }
    test.rules.skip_return_code = value.get<int>();
  } else if (name == "PASS_REGULAR_EXPRESSION") {
    test.rules.pass_regex = strings_in(value, source, what);
  } else if (name == "FAIL_REGULAR_EXPRESSION") {
    test.rules.fail_regex = strings_in(value, source, what);
  } else if (name == "SKIP_REGULAR_EXPRESSION") {
    test.rules.skip_regex = strings_in(value, source, what);
  } else if (name == "REQUIRED_FILES") {
    test.required_files = strings_in(value, source, what);
  } else if (name == "FIXTURES_SETUP") {
    test.fixtures_setup = strings_in(value, source, what);
  } else if (name == "FIXTURES_REQUIRED") {
    test.fixtures_required = strings_in(value, source, what);
  } else if (name == "FIXTURES_CLEANUP") {
    test.fixtures_cleanup = strings_in(value, source, what);
  } else if (name == "RESOURCE_LOCK") {
    test.resource_locks = strings_in(value, source, what);
  }
}

bool shares(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  return std::any_of(a.begin(), a.end(), [&](const std::string& item) {
    return std::find(b.begin(), b.end(), item) != b.end();
  });
}

// The first of `patterns` found in a line of `output`, or nullopt. Searched line by line (std::regex
// recurses per character: a whole log at once can overflow the stack); CMake's expressions are
// POSIX extended ones.
std::optional<std::string> first_match(const std::vector<std::string>& patterns, std::string_view output) {
  for (const std::string& pattern : patterns) {
    std::regex expression;
    try {
      expression = std::regex(pattern, std::regex::extended);
    } catch (const std::regex_error&) {
      continue;  // CTest ignores an expression it cannot compile too
    }
    std::size_t begin = 0;
    while (begin <= output.size()) {
      const std::size_t end = std::min(output.find('\n', begin), output.size());
      const std::string_view line = output.substr(begin, end - begin);
      if (std::regex_search(line.begin(), line.end(), expression)) {
        return pattern;
      }
      begin = end + 1;
    }
  }
  return std::nullopt;
}

// "[a, b]" as CTest writes expressions into its reasons.
std::string bracketed(const std::vector<std::string>& patterns) {
  return "[" + core::join(patterns) + "]";
}

}  // namespace

std::vector<std::string> ctest_list_command(const std::filesystem::path& build_tree,
                                            const core::CtestSelection& selection) {
  std::vector<std::string> argv = {"ctest", "--show-only=json-v1", "--test-dir", build_tree.string()};
  if (!selection.label.empty()) {
    argv.insert(argv.end(), {"-L", selection.label});
  }
  if (!selection.regex.empty()) {
    argv.insert(argv.end(), {"-R", selection.regex});
  }
  if (!selection.exclude.empty()) {
    argv.insert(argv.end(), {"-E", selection.exclude});
  }
  return argv;
}

std::vector<CtestTest> parse_ctest_listing(std::string_view text, const std::string& source) {
  const json document = json::parse(text, nullptr, false);
  if (document.is_discarded() || !document.is_object()) {
    malformed(source, "it is not a JSON object");
  }
  if (document.value("kind", "") != "ctestInfo" || !document.contains("version") ||
      document["version"].value("major", 0) != 1) {
    malformed(source, "kind is not ctestInfo or version.major is not 1");
  }
  if (!document.contains("tests") || !document["tests"].is_array()) {
    malformed(source, "it has no tests list");
  }
  std::vector<CtestTest> tests;
  for (const json& entry : document["tests"]) {
    if (!entry.is_object() || !entry.contains("name") || !entry["name"].is_string()) {
      malformed(source, "a test has no name");
    }
    CtestTest test;
    test.name = entry["name"].get<std::string>();
    if (entry.contains("command")) {
      test.command = strings_in(entry["command"], source, "test '" + test.name + "' command");
    }
    if (entry.contains("properties")) {
      if (!entry["properties"].is_array()) {
        malformed(source, "test '" + test.name + "' properties is not a list");
      }
      for (const json& property : entry["properties"]) {
        read_property(property, test, source);
      }
    }
    tests.push_back(std::move(test));
  }
  return tests;
}

std::optional<std::size_t> find_ctest_test(const std::vector<CtestTest>& tests, std::string_view name) {
  for (std::size_t i = 0; i < tests.size(); ++i) {
    if (tests[i].name == name) {
      return i;
    }
  }
  return std::nullopt;
}

double test_timeout(core::Tool tool, double ctest_timeout_s, double tier_timeout_s) {
  if (ctest_timeout_s <= 0) {
    return tier_timeout_s;
  }
  return ctest_timeout_s * core::spec_of(tool).slowdown;
}

std::string no_such_test_message(const std::vector<CtestTest>& tests, std::string_view name,
                                 const std::filesystem::path& build_tree) {
  std::string names;
  for (const CtestTest& test : tests) {
    names += (names.empty() ? "" : ", ") + test.name;
  }
  return "ctest lists no test named '" + std::string(name) + "' in " + build_tree.string() +
         " (it lists: " + (names.empty() ? "none" : names) + ")";
}

std::string test_folder_name(std::string_view test, std::size_t position) {
  std::string name = (position < 10 ? "0" : "") + std::to_string(position) + "-";
  for (const char c : test.substr(0, kFolderNameBytes)) {
    name += core::is_path_name_char(c) ? c : '_';
  }
  return name;
}

PlannedRun plan_ctest_test(const PlannedRun& suite, const CtestTest& test, std::size_t position) {
  if (!suite.ctest) {
    throw core::UsageError("plan_ctest_test: " + suite.name + " is not a CTest variant");
  }
  if (test.command.empty()) {
    throw core::InfrastructureError("CTest has no command for test '" + test.name + "' in " +
                                    suite.build_tree.string());
  }
  const CtestSuite& settings = *suite.ctest;
  PlannedRun plan;
  plan.name = suite.name + "/" + test.name;
  plan.suite = suite.name;
  plan.test = test.name;
  plan.tool = suite.tool;
  plan.preset = suite.preset;
  plan.build_tree = suite.build_tree;
  plan.disabled_detection = suite.disabled_detection;
  // A test is judged by its exit code when it runs bare: it writes no samples.
  plan.exit_code_only = suite.tool == core::Tool::Native;
  plan.expect_failure = test.will_fail;
  plan.ctest_rules = test.rules;
  plan.locks = test.resource_locks;
  plan.run_serial = test.run_serial;
  plan.out_dir = suite.out_dir / test_folder_name(test.name, position);
  plan.timeout_s = test_timeout(suite.tool, test.timeout_s, settings.timeout_s);
  plan.ctest_timeout_s = test.timeout_s;
  plan.spec.cwd = test.cwd.empty() ? suite.build_tree : test.cwd;
  plan.spec.target = test.command.front();
  plan.wrappers = settings.wrappers;
  plan.follows_children = true;
  const ToolInvocation invocation =
      adapt_tool(suite.tool, test.command,
                 ToolContext{plan.out_dir, settings.native_suppressions, settings.tool_args, true});
  // The test's own environment, then the variant's; the tool's settings (where its logs go) win.
  std::map<std::string, std::string> env = test.env;
  for (const auto& [key, value] : settings.env) {
    env[key] = value;
  }
  for (const auto& [key, value] : invocation.env) {
    env.erase(key);
  }
  return finish_plan(std::move(plan), invocation, false, env);
}

std::vector<std::string> missing_required_files(const CtestTest& test, const std::filesystem::path& build_tree) {
  std::vector<std::string> missing;
  for (const std::string& file : test.required_files) {
    const std::filesystem::path path = file;
    std::error_code error;
    if (!std::filesystem::exists(path.is_relative() ? (test.cwd.empty() ? build_tree : test.cwd) / path : path,
                                 error)) {
      missing.push_back(file);
    }
  }
  return missing;
}

std::vector<std::size_t> fixture_order(const std::vector<CtestTest>& tests) {
  // Three bands, each in CTest's order: the setups of a fixture some test requires, the tests,
  // then the cleanups of such fixtures.
  std::vector<std::string> required;
  for (const CtestTest& test : tests) {
    required.insert(required.end(), test.fixtures_required.begin(), test.fixtures_required.end());
  }
  std::vector<std::size_t> setups;
  std::vector<std::size_t> middle;
  std::vector<std::size_t> cleanups;
  for (std::size_t i = 0; i < tests.size(); ++i) {
    if (shares(tests[i].fixtures_setup, required)) {
      setups.push_back(i);
    } else if (shares(tests[i].fixtures_cleanup, required)) {
      cleanups.push_back(i);
    } else {
      middle.push_back(i);
    }
  }
  setups.insert(setups.end(), middle.begin(), middle.end());
  setups.insert(setups.end(), cleanups.begin(), cleanups.end());
  return setups;
}

void apply_ctest_rules(const PlannedRun& plan, std::string_view output, core::VariantResult& result) {
  if ((result.status != core::VariantStatus::Ok && result.status != core::VariantStatus::Failed) ||
      !result.exit_code) {
    return;
  }
  const CtestRules& rules = plan.ctest_rules;
  const int code = *result.exit_code;
  std::string reason;
  bool force_fail = false;
  if (!rules.pass_regex.empty() && !first_match(rules.pass_regex, output)) {
    reason = "its output matches none of its PASS_REGULAR_EXPRESSION " + bracketed(rules.pass_regex);
    force_fail = true;
  }
  if (const auto fail = first_match(rules.fail_regex, output)) {
    reason = "its output matches its FAIL_REGULAR_EXPRESSION [" + *fail + "]";
    force_fail = true;
  }
  const std::optional<std::string> skip = first_match(rules.skip_regex, output);
  if ((rules.skip_return_code >= 0 && code == rules.skip_return_code) || skip) {
    result.status = core::VariantStatus::Skipped;
    result.skipped_by_rule = true;
    result.note = skip ? "skipped: its output matches its SKIP_REGULAR_EXPRESSION [" + *skip + "]"
                       : "skipped: it exited with its SKIP_RETURN_CODE " + std::to_string(code);
    return;
  }
  if (rules.pass_regex.empty() && rules.fail_regex.empty()) {
    return;  // The exit code (and WILL_FAIL) judged it already.
  }
  const bool success = !force_fail && (code == 0 || !rules.pass_regex.empty());
  const bool passed = success != plan.expect_failure;
  result.status = passed ? core::VariantStatus::Ok : core::VariantStatus::Failed;
  if (!passed && reason.empty()) {
    reason = plan.expect_failure ? "it passed by its output, but its WILL_FAIL property expects it to fail"
                                 : "exited with code " + std::to_string(code);
  }
  result.note = passed ? (rules.pass_regex.empty() ? "" : "its output matches its PASS_REGULAR_EXPRESSION")
                       : reason;
}

void judge_ctest_test(const PlannedRun& plan, core::VariantResult& result) {
  if (plan.suite.empty()) {
    return;
  }
  const std::string output = core::read_text_file(plan.spec.stdout_path).value_or("") +
                             core::read_text_file(plan.spec.stderr_path).value_or("");
  apply_ctest_rules(plan, output, result);
}

std::vector<CtestTest> list_ctest_tests(ProcessRunner& runner, const PlannedRun& suite,
                                        const std::function<bool()>& stop_requested) {
  if (!std::filesystem::is_directory(suite.build_tree)) {
    throw core::InfrastructureError(
        "the build tree " + suite.build_tree.string() +
        " does not exist, so CTest has no tests to list: is preset " + suite.preset +
        " configured there? (project.build_dir is relative to plumb.toml's folder)");
  }
  std::unique_ptr<ProcessHandle> process;
  try {
    process = runner.start(suite.spec);
  } catch (const core::InfrastructureError& error) {
    throw core::InfrastructureError(std::string("cannot run ctest to list the tests: ") + error.what());
  }
  const std::optional<ProcessExit> exit = wait_unless_stopped(*process, stop_requested);
  if (!exit) {
    throw core::InfrastructureError("interrupted while listing the tests: " + suite.command);
  }
  const std::string logs = suite.spec.stdout_path.string() + " and " + suite.spec.stderr_path.string();
  if (exit->signal != 0 || exit->exit_code.value_or(1) != 0) {
    throw core::InfrastructureError("'" + suite.command + "' failed (" +
                                    (exit->signal != 0
                                         ? "signal " + std::to_string(exit->signal)
                                         : "exit code " + std::to_string(exit->exit_code.value_or(-1))) +
                                    "); see " + logs);
  }
  try {
    return parse_ctest_listing(core::read_text_file(suite.spec.stdout_path).value_or(""),
                               suite.spec.stdout_path.string());
  } catch (const core::UsageError& error) {
    throw core::InfrastructureError(std::string(error.what()) + "; see " + logs);
  }
}

}  // namespace plumb::run

#include "plumb/init/timings.hpp"

#include <algorithm>
#include <regex>
#include <sstream>

#include "plumb/core/ctest_cost.hpp"
#include "plumb/core/errors.hpp"
#include "plumb/core/text_file.hpp"
#include "plumb/core/tools.hpp"
#include "plumb/run/build.hpp"
#include "plumb/run/ctest.hpp"

namespace plumb::init {
namespace {

// A build tree's path as the config's comment shows it: relative to the project.
std::string shown(const std::filesystem::path& tree, const ProjectFacts& facts) {
  const std::filesystem::path relative = tree.lexically_relative(facts.root);
  return relative.empty() || *relative.begin() == ".." ? tree.string() : relative.string();
}

// Whether `tree` was configured without a sanitizer (its times are native ones).
bool uninstrumented(const std::filesystem::path& tree) {
  const auto cache = core::read_text_file(tree / "CMakeCache.txt");
  return cache && cache->find("-fsanitize") == std::string::npos;
}

// Runs `argv` in `cwd` to its end or for at most `limit`, stdout to `log`, stderr to log.stderr.
// The exit, or nullopt when it was cut at `limit` (its group is then killed).
std::optional<run::ProcessExit> run_step(run::ProcessRunner& runner, std::vector<std::string> argv,
                                         const std::filesystem::path& cwd, const std::filesystem::path& log,
                                         std::chrono::milliseconds limit) {
  run::ProcessSpec spec;
  spec.argv = std::move(argv);
  spec.cwd = cwd;
  spec.stdout_path = log;
  spec.stderr_path = log.string() + ".stderr";
  spec.target = spec.argv.front();
  const std::unique_ptr<run::ProcessHandle> process = runner.start(spec);
  if (std::optional<run::ProcessExit> exit = run::wait_for(*process, limit)) {
    return exit;
  }
  run::terminate_group(*process, std::chrono::seconds(5));
  return std::nullopt;
}

}  // namespace

double tier_timeout_s(core::Tool tool) {
  switch (tool) {
    case core::Tool::Asan:
      return 300;
    case core::Tool::Memcheck:
    case core::Tool::Massif:
    case core::Tool::Tsan:
    case core::Tool::Native:
    case core::Tool::Doctor:
      break;
  }
  return 900;
}

std::vector<SlowTest> too_slow(core::Tool tool, const NativeTimes& times, double tier_timeout) {
  const double slowdown = core::spec_of(tool).slowdown;
  std::vector<SlowTest> slow;
  const auto consider = [&](const std::string& test, double native_s, bool cut) {
    const auto timeout = times.ctest_timeout_s.find(test);
    const bool past = timeout != times.ctest_timeout_s.end() ? native_s > timeout->second
                                                             : native_s * slowdown > tier_timeout;
    if (past) {
      slow.push_back(SlowTest{test, native_s, native_s * slowdown, cut});
    }
  };
  for (const auto& [test, seconds] : times.seconds) {
    consider(test, seconds, false);
  }
  for (const auto& [test, seconds] : times.at_least) {
    if (times.seconds.count(test) == 0) {
      consider(test, seconds, true);
    }
  }
  std::stable_sort(slow.begin(), slow.end(),
                   [](const SlowTest& a, const SlowTest& b) { return a.native_s > b.native_s; });
  return slow;
}

NativeTimes parse_ctest_progress(std::string_view output) {
  // "1/1 Test #1: runtests .........................***Timeout   2.02 sec": the name, the dots
  // that pad it, "Passed" or "***" and what ended the test, its time.
  static const std::regex line_pattern(
      R"(^\s*\d+/\d+ +Test +#\d+: (.+?) \.*\s*(Passed|\*\*\*\S.*?) +([0-9.]+) sec\s*$)");
  NativeTimes times;
  std::istringstream lines{std::string(output)};
  std::string line;
  while (std::getline(lines, line)) {
    std::smatch match;
    if (!std::regex_match(line, match, line_pattern)) {
      continue;
    }
    const std::string test = match[1].str();
    const std::string status = match[2].str();
    const double seconds = std::stod(match[3].str());
    if (status.rfind("***Timeout", 0) == 0) {
      times.at_least[test] = seconds;
    } else if (status == "Passed" && seconds > 0) {
      times.seconds[test] = seconds;
    } else if (status.rfind("***Not Run", 0) != 0 && status.rfind("***Skipped", 0) != 0) {
      // A test that failed or crashed may have stopped early: its time is a lower bound only.
      times.failed[test] = status.substr(3);
      times.at_least[test] = seconds;
    }
  }
  return times;
}

std::optional<NativeTimes> recorded_native_times(const ProjectFacts& facts,
                                                 const std::vector<PresetChoice>& presets) {
  std::vector<std::filesystem::path> trees;
  for (const PresetChoice& choice : presets) {
    if (choice.tool == core::Tool::Memcheck) {
      trees.push_back(facts.root / "build" / choice.preset);
    }
  }
  trees.push_back(facts.root / "build");
  std::error_code error;
  std::vector<std::filesystem::path> others;
  for (const auto& entry : std::filesystem::directory_iterator(facts.root / "build", error)) {
    if (entry.is_directory()) {
      others.push_back(entry.path());
    }
  }
  std::sort(others.begin(), others.end());
  trees.insert(trees.end(), others.begin(), others.end());
  for (const std::filesystem::path& tree : trees) {
    if (!uninstrumented(tree)) {
      continue;
    }
    std::map<std::string, double> costs = core::read_ctest_cost_data(tree);
    if (!costs.empty()) {
      NativeTimes times;
      times.seconds = std::move(costs);
      times.source = "CTest's cost data in " + shown(core::ctest_cost_data_path(tree), facts);
      return times;
    }
  }
  return std::nullopt;
}

NativeTimes measure_native_times(run::ProcessRunner& runner, const ProjectFacts& facts,
                                 const std::string& preset, const MeasureOptions& options) {
  const std::filesystem::path tree = facts.root / "build" / preset;
  const auto say = [&](const std::string& line) {
    if (options.progress != nullptr) {
      *options.progress << "plumb: " << line << std::endl;
    }
  };
  const std::chrono::hours no_limit(24);
  say("timing the tests natively: building preset " + preset + " (memcheck's, uninstrumented)");
  std::filesystem::create_directories(tree);
  for (const auto& [step, argv] : std::vector<std::pair<std::string, std::vector<std::string>>>{
           {"configure", {"cmake", "--preset", preset}},
           {"build",
            {"cmake", "--build", "--preset", preset, "--parallel", std::to_string(run::build_jobs())}}}) {
    const std::filesystem::path log = tree / ("plumb-init-" + step + ".log");
    const auto exit = run_step(runner, argv, facts.root, log, no_limit);
    if (!exit || exit->signal != 0 || exit->exit_code.value_or(1) != 0) {
      throw core::InfrastructureError("the " + step + " of preset " + preset +
                                      " for timing the tests failed; see " + log.string() +
                                      " (plumb init --no-timing skips timing)");
    }
  }
  NativeTimes times;
  const std::filesystem::path listing_log = tree / "plumb-init-listing.log";
  const auto listed = run_step(runner, run::ctest_list_command(tree, core::CtestSelection{}), tree,
                               listing_log, std::chrono::minutes(2));
  if (listed && listed->exit_code.value_or(1) == 0) {
    try {
      for (const run::CtestTest& test :
           run::parse_ctest_listing(core::read_text_file(listing_log).value_or(""), listing_log.string())) {
        times.listed.push_back(test.name);
        if (test.timeout_s > 0) {
          times.ctest_timeout_s[test.name] = test.timeout_s;
        }
      }
    } catch (const core::UsageError&) {
      // No TIMEOUTs known: each test is judged against the tier's timeout_s.
    }
  }
  say("timing the tests natively: ctest --test-dir " + shown(tree, facts) + " --timeout " +
      std::to_string(options.per_test.count()) + " (at most " + std::to_string(options.budget.count()) +
      "s)");
  const std::filesystem::path log = tree / "plumb-init-ctest.log";
  const auto ran = run_step(
      runner, {"ctest", "--test-dir", tree.string(), "--timeout", std::to_string(options.per_test.count())},
      tree, log, options.budget);
  NativeTimes measured = parse_ctest_progress(core::read_text_file(log).value_or(""));
  times.seconds = std::move(measured.seconds);
  times.at_least = std::move(measured.at_least);
  times.failed = std::move(measured.failed);
  times.source = "`ctest` run natively in " + shown(tree, facts) + (ran ? "" : ", cut at its time budget");
  return times;
}

}  // namespace plumb::init

#include "plumb/init/init.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "plumb/core/atomic_file.hpp"
#include "plumb/core/ctest_cost.hpp"
#include "plumb/core/errors.hpp"
#include "plumb/core/text_file.hpp"
#include "plumb/core/tools.hpp"
#include "plumb/run/scheduler.hpp"

namespace plumb::init {
namespace {

// A -slow variant's timeout_s over its longest expected time: a tool's usual slowdown is not a
// bound (libexpat's runtests, allocation-heavy, took x163 under memcheck with --track-origins).
constexpr double kSlowMargin = 3;

// The presets file to write into, and whether it is the project's own (extended) or new.
PlannedFile presets_file(const ProjectFacts& facts, const std::vector<PresetChoice>& choices) {
  const nlohmann::ordered_json ours = presets_document(choices, facts);
  PlannedFile file;
  if (!facts.has_presets_file && !facts.has_user_presets_file) {
    file.path = facts.root / "CMakePresets.json";
    file.content = ours.dump(2) + "\n";
    return file;
  }
  file.path = facts.root / "CMakeUserPresets.json";
  if (!facts.has_user_presets_file) {
    file.content = ours.dump(2) + "\n";
    return file;
  }
  // The user's presets file gains plumb's presets; everything it holds stays as it was.
  nlohmann::ordered_json document =
      nlohmann::ordered_json::parse(core::read_text_file(file.path).value_or(""), nullptr, false);
  if (document.is_discarded() || !document.is_object()) {
    throw core::UsageError(core::located_message(file.path.string(), 0, "not a JSON presets file"));
  }
  for (const char* list : {"configurePresets", "buildPresets"}) {
    if (!document.contains(list)) {
      document[list] = nlohmann::ordered_json::array();
    }
    for (const auto& preset : ours[list]) {
      document[list].push_back(preset);
    }
  }
  if (!document.contains("version") || !document["version"].is_number_integer() ||
      document["version"].get<int>() < 3) {
    document["version"] = 3;
  }
  file.content = document.dump(2) + "\n";
  file.extends = true;
  return file;
}

// `text` as a TOML literal string ('^a\.b$': a regex needs no escapes); a basic string when it
// holds a quote or a line break.
std::string toml_literal(const std::string& text) {
  if (text.find_first_of("'\n\r") == std::string::npos) {
    return "'" + text + "'";
  }
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      quoted += '\\';
    }
    quoted += c == '\n' ? ' ' : c == '\r' ? ' ' : c;
  }
  return quoted + "\"";
}

// "3m00s", "36.4s": a time in the config's comments.
std::string seconds_text(double seconds) {
  if (seconds >= 60) {
    return run::format_elapsed(seconds);  // as plumb run's progress and notes say it: "1h00m37s"
  }
  char text[32];
  std::snprintf(text, sizeof text, seconds < 1 ? "%.2fs" : "%.1fs", seconds);
  return text;
}

// The comment above a tool's variants that says which tests are too slow for it and why.
std::string slow_comment(core::Tool id, const std::vector<SlowTest>& slow, const NativeTimes& times,
                         double timeout, bool all_slow) {
  const std::string tool(core::name_of(id));
  const std::string slowdown = std::to_string(std::lround(core::spec_of(id).slowdown));
  std::string text = "# Too slow for " + tool + " in the pr tier: native time x" + slowdown + " (" + tool +
                     "'s usual slowdown)\n# past timeout_s = " + std::to_string(static_cast<long>(timeout)) +
                     " (or past the test's CTest TIMEOUT x" + slowdown + "); timed by " + times.source +
                     ":\n";
  for (const SlowTest& test : slow) {
    text += "#   " + test.test + ": " + (test.cut ? "over " : "") + seconds_text(test.native_s) +
            " natively, about " + (test.cut ? "over " : "") + seconds_text(test.expected_s) + " under " +
            tool + "\n";
  }
  const std::string them = slow.size() == 1 ? "it" : "them";
  text += all_slow ? "# No other test is left for " + tool + " in the pr tier; " + tool + "-slow runs " +
                         them + " with the time needed\n# (plumb run --tier nightly).\n"
                   : "# " + tool + " leaves " + them + " out of the pr tier; " + tool + "-slow runs " + them +
                         " with the time needed\n# (plumb run --tier nightly).\n";
  return text;
}

// A note for each test too slow for one of the plan's tools, after one saying what was timed.
void add_slow_notes(InitPlan& plan, const NativeTimes& times) {
  std::string slowest;
  double longest = -1;
  for (const auto* measured : {&times.seconds, &times.at_least}) {
    for (const auto& [test, seconds] : *measured) {
      if (seconds > longest) {
        longest = seconds;
        slowest = test;
      }
    }
  }
  for (const auto& [test, how] : times.failed) {
    plan.notes.push_back(test + " failed natively (" + how + ") while it was timed: its time, " +
                         seconds_text(times.at_least.at(test)) + ", counts as a lower bound");
  }
  if (longest >= 0) {
    plan.notes.push_back("timed " + std::to_string(times.seconds.size() + times.at_least.size()) +
                         " test(s) natively (" + times.source + "); the slowest, " + slowest + ", takes " +
                         (times.at_least.count(slowest) != 0 ? "over " : "") + seconds_text(longest));
  }
  for (const PresetChoice& choice : plan.presets) {
    const std::string tool(core::name_of(choice.tool));
    for (const SlowTest& test : too_slow(choice.tool, times, tier_timeout_s(choice.tool))) {
      plan.notes.push_back(test.test + " takes " + (test.cut ? "over " : "") + seconds_text(test.native_s) +
                           " natively, about " + seconds_text(test.expected_s) + " under " + tool +
                           ": plumb.toml runs it in " + tool + "-slow (--tier nightly), not in the pr tier");
    }
  }
}

}  // namespace

std::string render_config(const ProjectFacts& facts, const std::vector<PresetChoice>& presets,
                          const NativeTimes* times) {
  std::string text =
      "# plumb.toml for " + facts.name +
      ", written by `plumb init`: the CTest suite under Valgrind memcheck,\n"
      "# ASan+LSan+UBSan and TSan. `plumb run` builds each preset, lists its tests with ctest, runs each\n"
      "# test under the tool in the test's own working directory and writes plumb-report/ (report.html,\n"
      "# report.json, junit.xml with one case per test, report.sarif); findings name their test.\n\n"
      "[project]\n"
      "build_dir = \"build\"          # each preset builds into build/<preset>\n"
      "report_dir = \"plumb-report\"\n"
      "# suppressions = \"suppressions/plumb.toml\"  findings accepted with a reason (and an expiry)\n"
      "# baseline = \"suppressions/baseline.json\"   findings accepted as they are: plumb baseline update\n";
  for (const PresetChoice& choice : presets) {
    const std::string tool(core::name_of(choice.tool));
    const double timeout = tier_timeout_s(choice.tool);
    const std::vector<SlowTest> slow =
        times == nullptr ? std::vector<SlowTest>{} : too_slow(choice.tool, *times, timeout);
    // Every test is too slow only when no other is listed (or, without a listing, known at all): a
    // test the timing run did not reach stays in the tool's pr variant.
    const std::size_t known = times == nullptr ? 0
                              : !times->listed.empty()
                                  ? times->listed.size()
                                  : times->seconds.size() + times->at_least.size() + times->failed.size();
    const bool all_slow = !slow.empty() && slow.size() == known;
    std::string pattern;  // the slow tests, as one regular expression for ctest -R/-E
    for (const SlowTest& test : slow) {
      pattern += (pattern.empty() ? "" : "|") + core::anchored_test_regex(test.test);
    }
    const std::string header = "\n[[variant]]\nname = \"" + tool + "\"\npreset = \"" + choice.preset + "\"" +
                               (choice.existing ? "   # the project's own preset" : "") + "\ntool = \"" +
                               tool + "\"\n";
    if (!slow.empty()) {
      text += "\n" + slow_comment(choice.tool, slow, *times, timeout, all_slow);
    }
    if (!all_slow) {
      text += header;
      if (slow.empty()) {
        text += choice.tool == core::Tool::Memcheck
                    ? "ctest = true   # every test; or { label = \"unit\", regex = "
                      "\"...\", exclude = \"...\" } as ctest -L/-R/-E\n"
                    : "ctest = true\n";
      } else {
        text += "ctest = { exclude = " + toml_literal(pattern) + " }   # too slow for " + tool +
                " in the pr tier: see above\n";
      }
      text +=
          "[variant.tiers.pr]\ntimeout_s = " + std::to_string(static_cast<long>(timeout)) +
          (choice.tool == core::Tool::Memcheck ? "   # per test; tools run 2x (ASan) to 50x (memcheck) slower"
                                               : "") +
          "\n";
    }
    if (!slow.empty()) {
      // The slow tests still run under the tool, in a tier of their own with the time they need.
      double longest = 0;
      for (const SlowTest& test : slow) {
        longest = std::max(longest, test.expected_s);
      }
      text += "\n[[variant]]\nname = \"" + tool + "-slow\"\npreset = \"" + choice.preset + "\"\ntool = \"" +
              tool + "\"\nctest = { regex = " + toml_literal(pattern) + " }\n" +
              "[variant.tiers.nightly]   # plumb run --tier nightly\ntimeout_s = " +
              std::to_string(static_cast<long>(std::ceil(longest * kSlowMargin / 60)) * 60) +
              "   # 3x the longest expected time: the slowdown varies\n";
    }
  }
  return text;
}

InitPlan plan_init(const ProjectFacts& facts, const NativeTimes* times) {
  const std::filesystem::path config = facts.root / "plumb.toml";
  if (std::filesystem::exists(config)) {
    throw core::UsageError(config.string() +
                           " exists: plumb init never replaces it (edit it, or move it away first)");
  }
  InitPlan plan;
  plan.presets = choose_presets(facts);
  for (const PresetChoice& choice : plan.presets) {
    if (choice.existing) {
      plan.notes.push_back(std::string(core::name_of(choice.tool)) + " uses the project's preset " +
                           choice.preset);
      continue;
    }
    for (const KnownPreset& preset : facts.presets) {
      if (preset.name == choice.preset) {
        throw core::UsageError(preset.file + " already has a preset named " + choice.preset +
                               " that does not build " + tool_flags(choice.tool) + " into build/" +
                               choice.preset + ": rename it, or make it do so");
      }
    }
  }
  plan.files.push_back(PlannedFile{config, render_config(facts, plan.presets, times), false});
  if (times != nullptr) {
    add_slow_notes(plan, *times);
  }
  const bool writes_presets = std::any_of(plan.presets.begin(), plan.presets.end(),
                                          [](const PresetChoice& choice) { return !choice.existing; });
  if (writes_presets) {
    plan.files.push_back(presets_file(facts, plan.presets));
  }
  if (!facts.has_tests) {
    plan.notes.push_back("no CMake file of " + facts.name +
                         " declares a test (add_test, gtest_discover_tests, ...): `plumb run` will say "
                         "ctest listed no test until there is one, or give a variant target = \"PROGRAM\" "
                         "instead of ctest");
  }
  if (std::filesystem::exists(facts.root / ".git") &&
      core::read_text_file(facts.root / ".gitignore").value_or("").find("plumb-report") ==
          std::string::npos) {
    plan.notes.push_back(
        "plumb builds into build/<preset> and reports into plumb-report/: add both to .gitignore");
  }
  plan.commands = {
      "plumb run    # build the presets, run every test under each tool: plumb-report/report.html",
      "plumb baseline update --from plumb-report/report.json   # accept what it found today, "
      "so CI fails only on new findings"};
  return plan;
}

void apply_init(const InitPlan& plan) {
  for (const PlannedFile& file : plan.files) {
    if (file.extends) {
      const std::filesystem::path backup = file.path.string() + ".plumb-backup";
      if (std::filesystem::exists(backup)) {
        throw core::UsageError(backup.string() +
                               " exists: plumb init keeps one backup and will not replace it");
      }
      std::filesystem::copy_file(file.path, backup);
    }
    core::write_file_atomically(file.path, file.content);
  }
}

InitPlan adopt(const ProjectFacts& facts, run::ProcessRunner* runner, const MeasureOptions& options) {
  const std::optional<NativeTimes> recorded = recorded_native_times(facts, choose_presets(facts));
  if (recorded || runner == nullptr || !facts.has_tests) {
    InitPlan plan = plan_init(facts, recorded ? &*recorded : nullptr);
    apply_init(plan);
    return plan;
  }
  InitPlan plan = plan_init(facts);
  apply_init(plan);  // the presets must exist before memcheck's is built for timing
  const auto memcheck =
      std::find_if(plan.presets.begin(), plan.presets.end(),
                   [](const PresetChoice& choice) { return choice.tool == core::Tool::Memcheck; });
  if (memcheck == plan.presets.end()) {
    return plan;
  }
  try {
    const NativeTimes times = measure_native_times(*runner, facts, memcheck->preset, options);
    // plumb.toml, just written, again with the slow tests
    plan.files.front().content = render_config(facts, plan.presets, &times);
    core::write_file_atomically(plan.files.front().path, plan.files.front().content);
    add_slow_notes(plan, times);
    if (times.seconds.empty() && times.at_least.empty()) {
      plan.notes.push_back("timing the tests natively gave no time (" + times.source +
                           "): see its log there");
    }
  } catch (const core::InfrastructureError& failure) {
    plan.notes.push_back(std::string("the tests were not timed: ") + failure.what());
  }
  return plan;
}

}  // namespace plumb::init

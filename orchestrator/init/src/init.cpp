#include "plumb/init/init.hpp"

#include "plumb/core/atomic_file.hpp"
#include "plumb/core/errors.hpp"
#include "plumb/core/text_file.hpp"

namespace plumb::init {
namespace {

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

}  // namespace

std::string render_config(const ProjectFacts& facts, const std::vector<PresetChoice>& presets) {
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
    text += "\n[[variant]]\nname = \"" + choice.tool + "\"\npreset = \"" + choice.preset + "\"" +
            (choice.existing ? "   # the project's own preset" : "") + "\ntool = \"" + choice.tool + "\"\n";
    text += choice.tool == "memcheck" ? "ctest = true   # every test; or { label = \"unit\", regex = "
                                        "\"...\", exclude = \"...\" } as ctest -L/-R/-E\n"
                                      : "ctest = true\n";
    text += "[variant.tiers.pr]\ntimeout_s = " + std::string(choice.tool == "asan" ? "300" : "900") +
            (choice.tool == "memcheck" ? "   # per test; tools run 2x (ASan) to 50x (memcheck) slower" : "") +
            "\n";
  }
  return text;
}

InitPlan plan_init(const ProjectFacts& facts) {
  const std::filesystem::path config = facts.root / "plumb.toml";
  if (std::filesystem::exists(config)) {
    throw core::UsageError(config.string() +
                           " exists: plumb init never replaces it (edit it, or move it away first)");
  }
  InitPlan plan;
  plan.presets = choose_presets(facts);
  for (const PresetChoice& choice : plan.presets) {
    if (choice.existing) {
      plan.notes.push_back(choice.tool + " uses the project's preset " + choice.preset);
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
  plan.files.push_back(PlannedFile{config, render_config(facts, plan.presets), false});
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

}  // namespace plumb::init

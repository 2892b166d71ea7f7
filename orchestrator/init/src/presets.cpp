#include "plumb/init/presets.hpp"

#include <algorithm>

namespace plumb::init {
namespace {

constexpr const char* kBinaryDir = "${sourceDir}/build/${presetName}";
constexpr const char* kDebugInfo = "-O1 -g -fno-omit-frame-pointer";
// Valgrind 3.19 cannot read the DWARF 5 clang 14 emits by default ("unhandled dwarf2 abbrev form",
// then it gives up on the program): the memcheck build asks for DWARF 4, which gcc and clang both write.
constexpr const char* kValgrindDebugInfo = "-gdwarf-4";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

// The build a tool needs: how init recognises a project's preset for it, and the preset it writes.
struct ToolBuild {
  std::string preset;        // The preset init writes when the project has none.
  std::string sanitizer;     // What its flags' -fsanitize= names; empty: an uninstrumented build.
  std::string link_flags;    // The sanitizer runtimes to link; empty: none.
  std::string display_name;  // The written preset's displayName.
};

ToolBuild build_for(core::Tool tool) {
  switch (tool) {
    case core::Tool::Asan:
      return {"plumb-asan", "address", "-fsanitize=address,undefined", "plumb: ASan + LSan + UBSan"};
    case core::Tool::Tsan:
      return {"plumb-tsan", "thread", "-fsanitize=thread", "plumb: ThreadSanitizer"};
    case core::Tool::Memcheck:  // Valgrind's tools read one plain build.
    case core::Tool::Massif:
    case core::Tool::Native:
    case core::Tool::Doctor:
      break;
  }
  return {"plumb-valgrind", "", "", "plumb: debug build for Valgrind memcheck"};
}

// Whether `preset` already builds what `tool` needs, into the folder plumb looks in.
bool serves(const KnownPreset& preset, core::Tool tool) {
  if (preset.hidden || preset.binary_dir != kBinaryDir) {
    return false;
  }
  const std::string flags = preset.flags;
  const ToolBuild needs = build_for(tool);
  if (!needs.sanitizer.empty()) {
    return contains(flags, "-fsanitize=") && contains(flags, needs.sanitizer);
  }
  const std::string name = lower(preset.name);
  return !contains(flags, "-fsanitize") && (contains(name, "valgrind") || contains(name, "memcheck"));
}

}  // namespace

std::string tool_flags(core::Tool tool) {
  const std::string link = build_for(tool).link_flags;
  return std::string(kDebugInfo) + " " + (link.empty() ? kValgrindDebugInfo : link);
}

std::vector<PresetChoice> choose_presets(const ProjectFacts& facts) {
  std::vector<PresetChoice> choices;
  for (const core::Tool tool : {core::Tool::Memcheck, core::Tool::Asan, core::Tool::Tsan}) {
    const auto found = std::find_if(facts.presets.begin(), facts.presets.end(),
                                    [&](const KnownPreset& preset) { return serves(preset, tool); });
    if (found != facts.presets.end()) {
      choices.push_back(PresetChoice{tool, found->name, true});
    } else {
      choices.push_back(PresetChoice{tool, build_for(tool).preset, false});
    }
  }
  return choices;
}

nlohmann::ordered_json presets_document(const std::vector<PresetChoice>& choices, const ProjectFacts& facts) {
  nlohmann::ordered_json configure = nlohmann::ordered_json::array();
  nlohmann::ordered_json build = nlohmann::ordered_json::array();
  for (const PresetChoice& choice : choices) {
    if (choice.existing) {
      continue;
    }
    nlohmann::ordered_json cache = {{"CMAKE_BUILD_TYPE", "Debug"}};
    if (facts.c) {
      cache["CMAKE_C_FLAGS"] = tool_flags(choice.tool);
    }
    if (facts.cxx) {
      cache["CMAKE_CXX_FLAGS"] = tool_flags(choice.tool);
    }
    const ToolBuild needs = build_for(choice.tool);
    if (!needs.link_flags.empty()) {
      cache["CMAKE_EXE_LINKER_FLAGS"] = needs.link_flags;
      cache["CMAKE_SHARED_LINKER_FLAGS"] = needs.link_flags;
    }
    configure.push_back({{"name", choice.preset},
                         {"displayName", needs.display_name},
                         {"binaryDir", kBinaryDir},
                         {"cacheVariables", cache}});
    build.push_back({{"name", choice.preset}, {"configurePreset", choice.preset}});
  }
  return {{"version", std::max(facts.presets_version, 3)},
          {"configurePresets", configure},
          {"buildPresets", build}};
}

}  // namespace plumb::init

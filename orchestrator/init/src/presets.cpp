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

// Whether `preset` already builds what `tool` needs, into the folder plumb looks in.
bool serves(const KnownPreset& preset, const std::string& tool) {
  if (preset.hidden || preset.binary_dir != kBinaryDir) {
    return false;
  }
  const std::string flags = preset.flags;
  if (tool == "asan") {
    return contains(flags, "-fsanitize=") && contains(flags, "address");
  }
  if (tool == "tsan") {
    return contains(flags, "-fsanitize=") && contains(flags, "thread");
  }
  const std::string name = lower(preset.name);
  return !contains(flags, "-fsanitize") && (contains(name, "valgrind") || contains(name, "memcheck"));
}

std::string sanitizer_link_flags(const std::string& tool) {
  if (tool == "asan") {
    return "-fsanitize=address,undefined";
  }
  if (tool == "tsan") {
    return "-fsanitize=thread";
  }
  return "";
}

std::string display_name(const std::string& tool) {
  if (tool == "asan") {
    return "plumb: ASan + LSan + UBSan";
  }
  if (tool == "tsan") {
    return "plumb: ThreadSanitizer";
  }
  return "plumb: debug build for Valgrind memcheck";
}

}  // namespace

std::string tool_flags(const std::string& tool) {
  const std::string link = sanitizer_link_flags(tool);
  return std::string(kDebugInfo) + " " + (link.empty() ? kValgrindDebugInfo : link);
}

std::vector<PresetChoice> choose_presets(const ProjectFacts& facts) {
  std::vector<PresetChoice> choices;
  for (const std::string tool : {"memcheck", "asan", "tsan"}) {
    const auto found = std::find_if(facts.presets.begin(), facts.presets.end(),
                                    [&](const KnownPreset& preset) { return serves(preset, tool); });
    if (found != facts.presets.end()) {
      choices.push_back(PresetChoice{tool, found->name, true});
    } else {
      choices.push_back(PresetChoice{tool, tool == "memcheck" ? "plumb-valgrind" : "plumb-" + tool, false});
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
    const std::string link = sanitizer_link_flags(choice.tool);
    if (!link.empty()) {
      cache["CMAKE_EXE_LINKER_FLAGS"] = link;
      cache["CMAKE_SHARED_LINKER_FLAGS"] = link;
    }
    configure.push_back({{"name", choice.preset},
                         {"displayName", display_name(choice.tool)},
                         {"binaryDir", kBinaryDir},
                         {"cacheVariables", cache}});
    build.push_back({{"name", choice.preset}, {"configurePreset", choice.preset}});
  }
  return {{"version", std::max(facts.presets_version, 3)},
          {"configurePresets", configure},
          {"buildPresets", build}};
}

}  // namespace plumb::init

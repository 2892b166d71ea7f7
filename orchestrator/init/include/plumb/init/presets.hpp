// The presets plumb's tools need: a plain debug build for Valgrind, ASan+LSan+UBSan and TSan.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plumb/core/tools.hpp"
#include "plumb/init/facts.hpp"

namespace plumb::init {

// The build one tool needs and the preset that gives it.
struct PresetChoice {
  core::Tool tool;        // Memcheck, Asan or Tsan.
  std::string preset;     // The preset's name.
  bool existing = false;  // The project declares it already; nothing is written for it.
};

// The compile flags each tool's build needs, e.g. "-fsanitize=thread" for tsan; memcheck: a plain
// build with DWARF 4 debug info (what Valgrind 3.19 reads from both gcc and clang).
std::string tool_flags(core::Tool tool);

// For memcheck, asan and tsan: a project preset that already builds what the tool needs (its flags
// hold the sanitizer; for memcheck its name says valgrind or memcheck, without a sanitizer) and
// builds into <dir>/${presetName}, else plumb-valgrind, plumb-asan or plumb-tsan to be written.
std::vector<PresetChoice> choose_presets(const ProjectFacts& facts);

// The configure and build presets to write for the choices that are not existing, building into
// ${sourceDir}/build/${presetName}, with flags for the languages the project enables (so CMake
// warns of no unused variable); `version` is the file's presets version.
nlohmann::ordered_json presets_document(const std::vector<PresetChoice>& choices, const ProjectFacts& facts);

}  // namespace plumb::init

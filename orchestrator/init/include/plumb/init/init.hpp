// plumb init: the files that adopt plumb in a CMake project, planned from its facts, then written
// without touching anything the project already has (a presets file is extended, never replaced).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "plumb/init/facts.hpp"
#include "plumb/init/presets.hpp"
#include "plumb/init/timings.hpp"

namespace plumb::init {

// One file init writes.
struct PlannedFile {
  std::filesystem::path path;  // Absolute.
  std::string content;
  bool extends = false;  // An existing file of the project, kept as <path>.plumb-backup first.
};

// What init will do.
struct InitPlan {
  std::vector<PresetChoice> presets;
  std::vector<PlannedFile> files;
  std::vector<std::string> notes;     // What the user should know (no tests found, presets reused).
  std::vector<std::string> commands;  // The two commands to run next.
};

// The commented plumb.toml: one CTest variant per tool, a pr tier, the report folder. With the
// tests' native `times`, the tests a tool would run past its limit (init::too_slow) are left out of
// its variant (ctest exclude) and run by a variant "<tool>-slow" in a nightly tier with the time
// they need, under a comment naming each with its measured seconds.
std::string render_config(const ProjectFacts& facts, const std::vector<PresetChoice>& presets,
                          const NativeTimes* times = nullptr);

// The plan for `facts`: plumb.toml and, when a tool has no preset yet, the presets it needs in
// CMakePresets.json when the project has no presets file, else in CMakeUserPresets.json. Throws
// core::UsageError when plumb.toml exists (init never replaces it) or a preset name plumb would
// write is already taken.
// With `times`, also a note for each test too slow for a tool.
InitPlan plan_init(const ProjectFacts& facts, const NativeTimes* times = nullptr);

// Writes the plan's files (each atomically; an extended file is first copied to .plumb-backup).
void apply_init(const InitPlan& plan);

// Adopts plumb in `facts`' project: the native times CTest recorded (recorded_native_times), else,
// with a `runner` and tests to time, the plan's files first, then one bounded native ctest run in
// memcheck's preset (measure_native_times); plumb.toml is written with the slow tests it found. A
// failed timing run is a note, not a failure. Returns what was written, with its notes.
InitPlan adopt(const ProjectFacts& facts, run::ProcessRunner* runner, const MeasureOptions& options);

}  // namespace plumb::init

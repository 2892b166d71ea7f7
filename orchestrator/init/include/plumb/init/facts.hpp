// What plumb init reads off a CMake project before writing anything: its name, whether it has
// CTest tests, and the presets it already declares.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace plumb::init {

// One configure preset the project already has.
struct KnownPreset {
  std::string name;
  std::string file;        // CMakePresets.json or CMakeUserPresets.json.
  std::string binary_dir;  // As written, e.g. "${sourceDir}/build/${presetName}"; empty: not set.
  std::string flags;       // CMAKE_C_FLAGS and CMAKE_CXX_FLAGS of its cacheVariables, joined.
  bool hidden = false;
};

// Everything init needs to know about the project in `root`.
struct ProjectFacts {
  std::filesystem::path root;
  std::string name;                     // From project(...) in the top CMakeLists.txt; else the folder name.
  bool c = true;                        // project(... LANGUAGES ...) enables C (CMake's default: C and CXX).
  bool cxx = true;                      // ... and CXX.
  bool has_tests = false;               // Some CMake file calls add_test, gtest_discover_tests or the like.
  std::vector<std::string> test_files;  // The CMake files (relative) that declare tests, at most 5.
  bool has_presets_file = false;        // CMakePresets.json exists.
  bool has_user_presets_file = false;   // CMakeUserPresets.json exists.
  int presets_version = 0;              // CMakePresets.json's "version"; 0 when absent.
  std::vector<KnownPreset> presets;     // Configure presets of both files.
};

// Reads the facts of the CMake project in `root`; throws core::UsageError when `root` holds no
// CMakeLists.txt, or a presets file that is not JSON (file: problem).
ProjectFacts read_project_facts(const std::filesystem::path& root);

}  // namespace plumb::init

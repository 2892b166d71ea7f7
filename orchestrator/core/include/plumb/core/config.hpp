// plumb.toml: the project settings, the gate and the variants plumb runs.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "plumb/core/model.hpp"

namespace plumb::core {

// The tools a variant can run under; "native" runs the target bare and lets its samples judge.

// A variant's workload in one tier.
struct TierSettings {
  std::vector<std::string> args;  // Arguments after the target; may hold {out} and {samples}.
  double timeout_s = 900;         // Wall-clock limit; the whole process group is killed after it.
};

// A variant that runs its preset's CTest suite: which tests, selected as ctest -L, -R and -E do.
struct CtestSelection {
  std::string label;    // -L: only tests with a label matching this regex; empty: every test.
  std::string regex;    // -R: only tests whose name matches; empty: every test.
  std::string exclude;  // -E: tests whose name matches are left out; empty: none.
  std::string only;     // Of those, only the test of exactly this name (plumb run --test); empty: all.
};

// One [[variant]]: what to build, what to run and under which tool.
struct VariantConfig {
  std::string name;
  std::string description;
  std::string preset;  // CMake configure/build preset; empty means nothing is built.
  Tool tool = Tool::Native;  // One that runs programs (ToolSpec::runs_programs).
  std::string
      target;  // CMake target to build (and the executable's name), or a command when preset is empty.
  std::string program;  // The executable, relative to the preset's build tree, when not bin/<target>.
  std::optional<CtestSelection> ctest;        // Set: run the preset's CTest suite, one run per test.
  std::map<std::string, TierSettings> tiers;  // Keyed by tier name; absent tier = skipped there.
  std::map<std::string, std::string> env;     // Added to the environment of the run.
  bool canary = false;                        // Must produce findings to prove its tool alive.
  bool exit_code_only = false;                // A native run without samples, judged by its exit code alone.
  std::vector<std::string> tool_args;         // Extra tool arguments (valgrind options, *SAN_OPTIONS).
  bool allow_disabled_detection = false;      // tool_args may switch off detection the gate asks for.
  std::string cwd;  // Working directory of the run, relative to the config's folder; empty: that folder.
  long line = 0;    // Where the entry starts in its file.
};

// [project]: where things live, relative to the folder holding plumb.toml.
struct ProjectConfig {
  std::string build_dir = "build";
  std::string suppressions = "suppressions/plumb.toml";
  std::string baseline = "suppressions/baseline.json";
  std::string native_suppressions =
      "suppressions/native";                // Folder of valgrind.supp, lsan.supp, tsan.supp, ...
  std::string report_dir = "plumb-report";  // Where plumb run writes the report set without --out.
  std::string default_tier;                 // plumb run's tier without --tier; empty: see default_tier().
  long max_findings_per_kind = -1;          // Distinct findings listed per kind; -1: plumb's default, 0: all.
  std::vector<std::string> wrappers;        // Program names added to core::kWrapperPrograms.
};

// [gate]: which finding kinds fail the run and whether growth does.
struct GateConfig {
  std::set<FindingKind> gating_kinds;  // Default: every kind but leak.reachable.
  bool fail_on_growth = true;
  long baseline_tolerance_bytes = 0;         // A baselined leak may grow this many bytes...
  double baseline_tolerance_percent = 10.0;  // ... or this share of what it accepted, the larger.
};

// The whole file.
struct Config {
  std::string source;          // The file name used in error messages.
  std::filesystem::path root;  // The folder relative paths are resolved against.
  ProjectConfig project;
  GateConfig gate;
  std::vector<VariantConfig> variants;
  std::vector<std::string> tiers;  // Every tier some variant declares, in order of first appearance.
};

// The tier plumb run uses without --tier: project.default_tier, else "pr" when declared, else the
// first tier declared.
std::string default_tier(const Config& config);

// Every finding kind except leak.reachable.
std::set<FindingKind> default_gating_kinds();

// Parses plumb.toml text; throws UsageError "source:line: problem" on bad TOML, unknown keys,
// wrong types, missing fields, unknown tools/kinds/tiers or duplicate variant names.
Config parse_config(std::string_view text, const std::string& source);

// Reads and parses a config file; root is the file's folder. A missing file is a UsageError.
Config load_config(const std::filesystem::path& path);

// The variant called `name`, or nullptr.
const VariantConfig* find_variant(const Config& config, std::string_view name);

}  // namespace plumb::core

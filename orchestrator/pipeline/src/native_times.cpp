// Tests' native times, for the note of a test that timed out under a tool.
#include <algorithm>
#include <set>

#include "plumb/core/ctest_cost.hpp"
#include "plumb/core/tools.hpp"
#include "plumb/pipeline/pipeline.hpp"
#include "plumb/run/slow_test.hpp"

namespace plumb::pipeline {

std::map<std::string, NativeTime> native_times(const std::vector<run::PlannedRun>& runs,
                                               const core::Config* config) {
  // The trees of the runs, then those of every variant of the config (a run of the asan variant
  // alone still finds the times ctest recorded in memcheck's tree).
  std::vector<std::pair<core::Tool, std::filesystem::path>> trees;
  for (const run::PlannedRun& planned : runs) {
    trees.emplace_back(planned.tool, planned.build_tree);
  }
  if (config != nullptr) {
    for (const core::VariantConfig& variant : config->variants) {
      if (!variant.preset.empty()) {
        trees.emplace_back(variant.tool,
                           (config->root / config->project.build_dir / variant.preset).lexically_normal());
      }
    }
  }
  std::map<std::string, NativeTime> times;
  std::set<std::filesystem::path> read;
  for (const auto& [tool, tree] : trees) {
    // A sanitizer's tree runs its tests instrumented: its cost data is not a native time.
    if (!core::spec_of(tool).runtime_symbol.empty() || tree.empty() || !read.insert(tree).second) {
      continue;
    }
    for (const auto& [test, seconds] : core::read_ctest_cost_data(tree)) {
      times.emplace(test, NativeTime{seconds, core::ctest_cost_data_path(tree).string()});
    }
  }
  return times;
}

void add_native_runs(std::vector<run::FinishedRun>& finished) {
  for (run::FinishedRun& slow : finished) {
    core::VariantResult& result = slow.result;
    if (!result.timed_out) {
      continue;
    }
    const auto native = std::find_if(finished.begin(), finished.end(), [&](const run::FinishedRun& other) {
      return other.result.tool == core::Tool::Native && !other.result.suite.empty() &&
             other.result.test == result.test && other.result.status == core::VariantStatus::Ok;
    });
    if (native == finished.end()) {
      continue;
    }
    const std::string before = run::timeout_note(result.tool, *result.timed_out);
    result.timed_out->native_s = native->result.duration_s;
    result.timed_out->native_from = core::NativeTimeSource::NativeRun;
    result.timed_out->native_where = native->result.name;
    // What followed the account (switched-off detection) stays after it.
    const std::string after = result.note.rfind(before, 0) == 0 ? result.note.substr(before.size()) : "";
    result.note = run::timeout_note(result.tool, *result.timed_out) + after;
  }
}

}  // namespace plumb::pipeline

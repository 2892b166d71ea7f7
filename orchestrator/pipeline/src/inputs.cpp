// The project configuration and the analysis inputs it names.
#include <filesystem>
#include <fstream>
#include <iterator>

#include "plumb/analyze/baseline.hpp"
#include "plumb/analyze/suppressions.hpp"
#include "plumb/core/errors.hpp"
#include "plumb/pipeline/pipeline.hpp"

namespace plumb::pipeline {

core::Config load_project_config(const std::string& config_path) {
  const std::filesystem::path path =
      config_path.empty() ? std::filesystem::path("plumb.toml") : std::filesystem::path(config_path);
  if (config_path.empty() && !std::filesystem::exists(path)) {
    throw core::UsageError(core::located_message(
        path.string(), 0,
        "no plumb.toml in " + std::filesystem::current_path().string() +
            ": run `plumb init` to write one for this CMake project (or pass --config FILE)"));
  }
  return core::load_config(path);
}

std::optional<core::Config> load_optional_config(const std::string& config_path) {
  if (config_path.empty() && !std::filesystem::exists("plumb.toml")) {
    return std::nullopt;
  }
  return load_project_config(config_path);
}

namespace {

// The bytes of `path`, or "" when it cannot be read (a file that does not exist counts as empty).
std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

analyze::AnalysisInputs analysis_inputs(const std::optional<core::Config>& config) {
  analyze::AnalysisInputs inputs;
  inputs.today = analyze::today_utc();
  inputs.plumb_version = plumb_version();
  if (!config) {
    inputs.source_root = std::filesystem::current_path();
    return inputs;
  }
  // What the gate is made of: shards analysed with other files than their merge do not merge.
  inputs.digest = plan_digest({file_bytes(config->source), file_bytes(config->root / config->project.suppressions),
                               file_bytes(config->root / config->project.baseline)},
                              "");
  inputs.source_root = config->root;
  if (config->project.max_findings_per_kind >= 0) {
    inputs.max_findings_per_kind = static_cast<std::size_t>(config->project.max_findings_per_kind);
  }
  const std::filesystem::path suppressions = config->root / config->project.suppressions;
  if (std::filesystem::exists(suppressions)) {
    inputs.suppressions = analyze::load_suppressions(suppressions);
  }
  inputs.baseline = analyze::load_baseline(config->root / config->project.baseline);
  inputs.policy.gating_kinds = config->gate.gating_kinds;
  inputs.policy.fail_on_growth = config->gate.fail_on_growth;
  inputs.tolerance.bytes = static_cast<std::uint64_t>(config->gate.baseline_tolerance_bytes);
  inputs.tolerance.percent = config->gate.baseline_tolerance_percent;
  return inputs;
}

}  // namespace plumb::pipeline

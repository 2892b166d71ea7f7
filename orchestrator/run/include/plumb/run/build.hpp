// Configuring and building the CMake presets the selected variants need, once each.
#pragma once

#include <filesystem>
#include <functional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "plumb/core/config.hpp"
#include "plumb/run/process.hpp"

namespace plumb::run {

// One preset and the targets to build in it.
struct BuildRequest {
  std::string preset;
  std::set<std::string> targets;
  bool all = false;  // A CTest variant needs every test built: the preset's default target, all.
};

// The presets and targets of `variants`, in first-use order; variants without a preset need none.
std::vector<BuildRequest> build_requests(const std::vector<const core::VariantConfig*>& variants);

// A preset whose configure or build step failed: its variants cannot run.
struct BuildFailure {
  std::string preset;
  std::string message;        // What failed, naming the log.
  std::filesystem::path log;  // The step's log (stdout); its stderr is log + ".stderr".
};

// How many jobs a preset build runs: the machine's hardware threads (at least 1).
int build_jobs();

// For each request: `cmake --preset P` when <root>/<build_dir>/P is not configured yet, then
// `cmake --build --preset P --parallel N --target T...` (N: build_jobs(); no --target when the
// request needs all), logging to
// log_dir/{configure,build}-P.log. A preset that fails (or whose cmake cannot start) is returned and the
// others still build; a stop request throws core::InfrastructureError.
std::vector<BuildFailure> build_presets(ProcessRunner& runner, const core::Config& config,
                                        const std::vector<BuildRequest>& requests,
                                        const std::filesystem::path& log_dir, std::ostream* progress,
                                        const std::function<bool()>& stop_requested);

}  // namespace plumb::run

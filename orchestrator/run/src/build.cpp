#include "plumb/run/build.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <ostream>
#include <thread>

#include "plumb/core/errors.hpp"
#include "plumb/core/terminal_text.hpp"
#include "plumb/run/cmake_file_api.hpp"
#include "plumb/run/shell.hpp"

namespace plumb::run {
namespace {

// A configure or build step that ran and failed, or could not start (not a stop request).
class StepFailed : public core::InfrastructureError {
 public:
  using core::InfrastructureError::InfrastructureError;
};

// The lock file in a build tree that one plumb run holds while it configures and builds there.
constexpr const char* kBuildLockFile = ".plumb-build-lock";

// An exclusive flock on <binary_dir>/.plumb-build-lock for as long as it lives: two runs on one
// build tree configure and build it one after the other. Waiting says so, and a stop request ends
// the wait (InfrastructureError).
class BuildLock {
 public:
  BuildLock(const std::filesystem::path& binary_dir, const std::string& preset, std::ostream* progress,
            const std::function<bool()>& stop_requested) {
    std::error_code error;
    std::filesystem::create_directories(binary_dir, error);
    const std::filesystem::path path = binary_dir / kBuildLockFile;
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd_ < 0) {
      throw StepFailed(path.string() + ": cannot open the build lock: " + std::strerror(errno));
    }
    if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) {
      return;
    }
    if (progress != nullptr) {
      *progress << "plumb: waiting for another plumb run to finish building preset " << preset
                << " (it holds " << path.string() << ")" << std::endl;
    }
    while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      if (errno != EWOULDBLOCK && errno != EINTR) {
        throw StepFailed(path.string() + ": cannot lock: " + std::strerror(errno));
      }
      if (stop_requested && stop_requested()) {
        throw core::InfrastructureError("interrupted while waiting for the build lock " + path.string());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (progress != nullptr) {
      *progress << "plumb: the other run is done with preset " << preset << "; building it" << std::endl;
    }
  }
  ~BuildLock() { ::close(fd_); }  // closing releases the flock
  BuildLock(const BuildLock&) = delete;
  BuildLock& operator=(const BuildLock&) = delete;

 private:
  int fd_ = -1;
};

// Runs one cmake step to completion, logging to `log`; throws with the log path on failure.
void run_step(ProcessRunner& runner, const std::vector<std::string>& argv, const std::filesystem::path& cwd,
              const std::filesystem::path& log, const std::function<bool()>& stop_requested,
              std::ostream* progress) {
  ProcessSpec spec;
  spec.argv = argv;
  spec.cwd = cwd;
  spec.stdout_path = log;
  spec.stderr_path = log.string() + ".stderr";
  spec.log_root = log.parent_path();
  std::unique_ptr<ProcessHandle> process;
  try {
    process = runner.start(spec);
  } catch (const core::InfrastructureError& error) {
    throw StepFailed(std::string("cannot run cmake: ") + error.what());
  }
  const std::optional<ProcessExit> exit = wait_unless_stopped(*process, stop_requested);
  // A build that leaves a process behind would have it blamed on the first run after it.
  for (const std::string& straggler : process->kill_stragglers()) {
    if (progress != nullptr) {
      *progress << core::terminal_safe("plumb: '" + shell_command(argv) +
                                       "' left a process behind; plumb killed it: " + straggler)
                << std::endl;
    }
  }
  if (!exit) {
    throw core::InfrastructureError("interrupted while running: " + shell_command(argv));
  }
  if (exit->signal != 0 || exit->exit_code.value_or(1) != 0) {
    throw StepFailed("'" + shell_command(argv) + "' failed (" +
                     (exit->signal != 0 ? "signal " + std::to_string(exit->signal)
                                        : "exit code " + std::to_string(exit->exit_code.value_or(-1))) +
                     "); see " + log.string() + " and " + spec.stderr_path.string());
  }
}

// Configures (when needed) and builds one preset; throws StepFailed on failure.
void build_preset(ProcessRunner& runner, const core::Config& config, const BuildRequest& request,
                  const std::filesystem::path& log_dir, std::ostream* progress,
                  const std::function<bool()>& stop_requested, std::filesystem::path& log) {
  // `log` names the step running, so a failure's report links the right file.
  {
    const std::filesystem::path binary_dir = config.root / config.project.build_dir / request.preset;
    // Held until the tree is configured and built: a second run waits here instead of racing.
    const BuildLock lock(binary_dir, request.preset, progress, stop_requested);
    // CMake's file API then says where each target's executable went (cmake_file_api.hpp).
    request_codemodel(binary_dir);
    if (!std::filesystem::exists(binary_dir / "CMakeCache.txt")) {
      if (progress != nullptr) {
        *progress << "plumb: configuring preset " << request.preset << std::endl;
      }
      run_step(runner, {"cmake", "--preset", request.preset}, config.root, log, stop_requested, progress);
    }
    // With the machine's parallelism: a preset that names no jobs would build with the
    // generator's default (one job under Make).
    std::vector<std::string> argv = {"cmake", "--build", "--preset", request.preset, "--parallel",
                                     std::to_string(build_jobs())};
    if (!request.all) {
      argv.emplace_back("--target");
      argv.insert(argv.end(), request.targets.begin(), request.targets.end());
    }
    if (progress != nullptr) {
      *progress << "plumb: building "
                << (request.all ? std::string("everything")
                                : shell_command(std::vector<std::string>(request.targets.begin(),
                                                                         request.targets.end())))
                << " in preset " << request.preset << std::endl;
    }
    log = log_dir / ("build-" + request.preset + ".log");
    run_step(runner, argv, config.root, log, stop_requested, progress);
    // A tree configured before plumb asked has no file API reply; a program not at bin/<target>
    // is then found by configuring the tree once more (its cache as it is, no preset applied).
    const bool guessed_missing =
        std::any_of(request.targets.begin(), request.targets.end(),
                    [&](const std::string& t) { return !std::filesystem::exists(binary_dir / "bin" / t); });
    if (guessed_missing && !has_codemodel_reply(binary_dir)) {
      log = log_dir / ("reconfigure-" + request.preset + ".log");
      run_step(runner, {"cmake", binary_dir.string()}, config.root, log, stop_requested, progress);
    }
  }
}

}  // namespace

int build_jobs() {
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

std::vector<BuildRequest> build_requests(const std::vector<const core::VariantConfig*>& variants) {
  std::vector<BuildRequest> requests;
  for (const core::VariantConfig* variant : variants) {
    if (variant->preset.empty()) {
      continue;
    }
    auto request = std::find_if(requests.begin(), requests.end(), [&](const BuildRequest& existing) {
      return existing.preset == variant->preset;
    });
    if (request == requests.end()) {
      requests.push_back(BuildRequest{variant->preset, {}});
      request = std::prev(requests.end());
    }
    if (variant->ctest) {
      request->all = true;
    } else {
      request->targets.insert(variant->target);
    }
  }
  return requests;
}

std::vector<BuildFailure> build_presets(ProcessRunner& runner, const core::Config& config,
                                        const std::vector<BuildRequest>& requests,
                                        const std::filesystem::path& log_dir, std::ostream* progress,
                                        const std::function<bool()>& stop_requested) {
  std::vector<BuildFailure> failures;
  for (const BuildRequest& request : requests) {
    if (stop_requested && stop_requested()) {
      throw core::InfrastructureError("interrupted before building preset " + request.preset);
    }
    std::filesystem::path log = log_dir / ("configure-" + request.preset + ".log");
    try {
      build_preset(runner, config, request, log_dir, progress, stop_requested, log);
    } catch (const StepFailed& failure) {
      if (progress != nullptr) {
        *progress << "plumb: " << core::terminal_safe(failure.what()) << std::endl;
      }
      failures.push_back(BuildFailure{request.preset, failure.what(), log});
    }
  }
  return failures;
}

}  // namespace plumb::run

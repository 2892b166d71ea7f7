#include "plumb/run/process.hpp"

#include <unistd.h>

#include <csignal>
#include <string_view>
#include <thread>

namespace plumb::run {

std::filesystem::path find_on_path(const std::string& name, const char* path) {
  std::string_view dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  while (true) {
    const std::size_t colon = dirs.find(':');
    const std::string dir(dirs.substr(0, colon));
    const std::filesystem::path candidate = std::filesystem::path(dir.empty() ? "." : dir) / name;
    if (::access(candidate.c_str(), X_OK) == 0 && !std::filesystem::is_directory(candidate)) {
      return candidate;
    }
    if (colon == std::string_view::npos) {
      return {};
    }
    dirs.remove_prefix(colon + 1);
  }
}

void ProcessRunner::wait_for_change(std::chrono::milliseconds limit) {
  std::this_thread::sleep_for(limit);
}

std::optional<ProcessExit> wait_for(ProcessHandle& process, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto pause = std::chrono::milliseconds(1);
  while (true) {
    if (auto exit = process.poll()) {
      return exit;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return std::nullopt;
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(20));
  }
}

ProcessExit terminate_group(ProcessHandle& process, std::chrono::milliseconds grace) {
  process.signal_group(SIGTERM);
  std::optional<ProcessExit> exit = wait_for(process, grace);
  // SIGKILL even when the leader is gone: its children may still hold the group.
  process.signal_group(SIGKILL);
  if (!exit) {
    exit = wait_for(process, std::chrono::milliseconds(10000));
  }
  return exit.value_or(ProcessExit{std::nullopt, SIGKILL});
}

std::optional<ProcessExit> wait_unless_stopped(ProcessHandle& process,
                                               const std::function<bool()>& stop_requested) {
  std::optional<ProcessExit> exit;
  while (!(exit = wait_for(process, std::chrono::milliseconds(100)))) {
    if (stop_requested && stop_requested()) {
      terminate_group(process, std::chrono::milliseconds(5000));
      return std::nullopt;
    }
  }
  process.signal_group(SIGKILL);
  return exit;
}

}  // namespace plumb::run

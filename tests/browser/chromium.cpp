#include "chromium.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

extern char** environ;

namespace plumb::reports::testing {
namespace {

namespace fs = std::filesystem;

constexpr auto kTimeout = std::chrono::seconds(90);

// A fresh --user-data-dir per launch so runs never share state; removed afterwards.
class ProfileDir {
 public:
  ProfileDir() {
    std::string pattern = (fs::temp_directory_path() / "plumb-chromium-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("cannot create a chromium profile folder");
    }
    path_ = pattern;
  }
  ~ProfileDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  ProfileDir(const ProfileDir&) = delete;
  ProfileDir& operator=(const ProfileDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string file_url(const fs::path& page) {
  return "file://" + fs::absolute(page).lexically_normal().string();
}

// Runs chromium headless with `extra` flags in its own process group, stdout to `out`.
void run_chromium(const fs::path& chromium, const std::vector<std::string>& extra, const fs::path& out) {
  ProfileDir profile;
  std::vector<std::string> args = {chromium.string(),
                                   "--headless",
                                   "--no-sandbox",
                                   "--disable-gpu",
                                   "--disable-quic",
                                   "--no-first-run",
                                   "--disable-background-networking",
                                   "--disable-component-update",
                                   "--disable-sync",
                                   "--disable-extensions",
                                   "--hide-scrollbars",
                                   "--user-data-dir=" + profile.path().string()};
  args.insert(args.end(), extra.begin(), extra.end());
  std::vector<char*> argv;
  for (auto& arg : args) {
    argv.push_back(arg.data());
  }
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const fs::path errors = fs::path(out).concat(".stderr");
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, errors.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, argv[0], &actions, &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (spawned != 0) {
    throw std::runtime_error("cannot start " + chromium.string());
  }
  const auto deadline = std::chrono::steady_clock::now() + kTimeout;
  int status = 0;
  while (true) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      break;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      throw std::runtime_error("chromium timed out; see " + errors.string());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  // Renderer/zygote children share the group; make sure none outlives the test.
  ::kill(-pid, SIGKILL);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error("chromium failed (status " + std::to_string(status) + "); see " +
                             errors.string());
  }
}

}  // namespace

std::optional<fs::path> find_chromium() {
  if (const char* configured = std::getenv("PLUMB_CHROMIUM"); configured != nullptr && *configured != '\0') {
    return fs::exists(configured) ? std::optional<fs::path>(configured) : std::nullopt;
  }
  const fs::path found = PLUMB_CHROMIUM;
  if (found.empty() || !fs::exists(found)) {
    return std::nullopt;
  }
  return found;
}

std::string dump_dom(const fs::path& chromium, const fs::path& page, const std::string& fragment) {
  const fs::path out = fs::path(page).concat(".dom.html");
  run_chromium(chromium, {"--dump-dom", file_url(page) + (fragment.empty() ? "" : "#" + fragment)}, out);
  std::ifstream in(out);
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().empty()) {
    throw std::runtime_error("chromium dumped an empty DOM for " + page.string());
  }
  return text.str();
}

void screenshot(const fs::path& chromium, const fs::path& page, const fs::path& png, int height) {
  std::error_code ignored;
  fs::remove(png, ignored);
  run_chromium(
      chromium,
      {"--screenshot=" + png.string(), "--window-size=1280," + std::to_string(height), file_url(page)},
      fs::path(png).concat(".stdout"));
  if (!fs::exists(png) || fs::file_size(png) == 0) {
    throw std::runtime_error("chromium wrote no screenshot to " + png.string());
  }
}

}  // namespace plumb::reports::testing

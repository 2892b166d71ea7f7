// The real runner on real processes: redirection, environment, exit statuses, whole-group kills.
#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <unistd.h>

#include "plumb/core/errors.hpp"
#include "plumb/run/system_runner.hpp"

namespace plumb::run {
namespace {

using namespace std::chrono_literals;

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Processes of process group `group` that are not zombies, from /proc/<pid>/stat.
int live_members(int group) {
  int alive = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    if (!std::getline(stat, line) || line.rfind(')') == std::string::npos) {
      continue;
    }
    std::istringstream fields(line.substr(line.rfind(')') + 2));
    char state = 0;
    int parent = 0;
    int pgid = 0;
    fields >> state >> parent >> pgid;
    alive += pgid == group && state != 'Z' ? 1 : 0;
  }
  return alive;
}

class SystemRunnerTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("plumb-sys-" + std::to_string(::getpid()) + "-" +
            testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
  std::unique_ptr<ProcessRunner> runner_ = make_system_runner();
};

TEST_F(SystemRunnerTest, RedirectsOutputAndPassesEnvironmentAndDirectory) {
  ProcessSpec spec;
  spec.argv = {"sh", "-c", "echo \"$PLUMB_TEST_VALUE $(pwd)\"; echo oops >&2; exit 7"};
  spec.env = {{"PLUMB_TEST_VALUE", "hello"}};
  spec.cwd = dir_;
  spec.stdout_path = dir_ / "out.log";
  spec.stderr_path = dir_ / "err.log";
  auto process = runner_->start(spec);
  const auto exit = wait_for(*process, 10s);
  ASSERT_TRUE(exit.has_value());
  EXPECT_EQ(exit->exit_code, 7);
  EXPECT_EQ(exit->signal, 0);
  EXPECT_EQ(read(dir_ / "out.log"), "hello " + std::filesystem::canonical(dir_).string() + "\n");
  EXPECT_EQ(read(dir_ / "err.log"), "oops\n");
}

// A program gets stdin, stdout and stderr and nothing else of plumb's: memcheck's --track-fds
// would otherwise list plumb's descriptors in every program's report.
TEST_F(SystemRunnerTest, TheProgramInheritsOnlyItsThreeStandardDescriptors) {
  ProcessSpec spec;
  spec.argv = {"ls", "/proc/self/fd"};  // ls's own: 0, 1, 2 and the folder it reads (3)
  spec.stdout_path = dir_ / "fds.log";
  auto process = runner_->start(spec);
  ASSERT_TRUE(wait_for(*process, 10s).has_value());
  EXPECT_EQ(read(dir_ / "fds.log"), "0\n1\n2\n3\n");
}

// A caller that reads a program's output as it comes (the doctor's decompressor) hands it a pipe:
// the program writes there, holds nothing else of it, and the reader sees the end when it exits.
TEST_F(SystemRunnerTest, OutputToADescriptorTheCallerReads) {
  int fds[2];
  ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
  ProcessSpec spec;
  spec.argv = {"sh", "-c", "echo streamed; ls /proc/self/fd >&2"};
  spec.stdout_fd = fds[1];
  spec.stderr_path = dir_ / "fds.log";
  auto process = runner_->start(spec);
  ::close(fds[1]);
  std::string text;
  char buffer[256];
  for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) != 0;) {
    if (n < 0 && errno != EINTR) {
      ADD_FAILURE() << "reading the program's output: " << std::strerror(errno);
      break;
    }
    text.append(buffer, static_cast<std::size_t>(std::max<ssize_t>(n, 0)));
  }
  ::close(fds[0]);
  ASSERT_TRUE(wait_for(*process, 10s).has_value());
  EXPECT_EQ(text, "streamed\n");  // read to its end: no copy of the write end was left open
  EXPECT_EQ(read(dir_ / "fds.log"), "0\n1\n2\n3\n");
}

// The scheduler sleeps in wait_for_change between its looks at the runs: a run that ends wakes it
// at once, so an ended test is settled then and not when the limit has passed.
TEST_F(SystemRunnerTest, WaitingForAChangeWakesWhenAChildEnds) {
  ProcessSpec spec;
  spec.argv = {"sh", "-c", "sleep 0.2"};
  auto process = runner_->start(spec);
  const auto start = std::chrono::steady_clock::now();
  std::optional<ProcessExit> exit;
  while (!(exit = process->poll()) && std::chrono::steady_clock::now() - start < 120s) {
    runner_->wait_for_change(60s);
  }
  ASSERT_TRUE(exit.has_value());
  EXPECT_EQ(exit->exit_code, 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 30s);  // the end woke it, not the 60 s limit
}

// With nothing ending, a wait lasts its limit: the scheduler still looks at timeouts and heartbeats.
TEST_F(SystemRunnerTest, WaitingForAChangeWithNothingEndingLastsItsLimit) {
  ProcessSpec spec;
  spec.argv = {"sleep", "100"};
  auto process = runner_->start(spec);
  // Any child of this test binary wakes the wait: an earlier test's orphan may end during one.
  // A wait that never waited fails every try; a stray wake costs one.
  bool lasted = false;
  for (int attempt = 0; attempt < 5 && !lasted; ++attempt) {
    runner_->wait_for_change(0ms);  // a wake already left
    const auto start = std::chrono::steady_clock::now();
    runner_->wait_for_change(300ms);
    lasted = std::chrono::steady_clock::now() - start >= 250ms;
  }
  EXPECT_TRUE(lasted);
  EXPECT_FALSE(process->poll().has_value());
}

TEST_F(SystemRunnerTest, ReportsTheKillingSignal) {
  ProcessSpec spec;
  spec.argv = {"sh", "-c", "kill -SEGV $$"};
  auto process = runner_->start(spec);
  const auto exit = wait_for(*process, 10s);
  ASSERT_TRUE(exit.has_value());
  EXPECT_FALSE(exit->exit_code.has_value());
  EXPECT_EQ(exit->signal, SIGSEGV);
}

TEST_F(SystemRunnerTest, TerminatingTheGroupKillsGrandchildren) {
  ProcessSpec spec;
  spec.argv = {"sh", "-c", "sleep 100 & sleep 100"};
  auto process = runner_->start(spec);
  const int group = process->pid();
  EXPECT_EQ(::getpgid(group), group);  // It leads its own group.
  EXPECT_FALSE(wait_for(*process, 100ms).has_value());
  const ProcessExit exit = terminate_group(*process, 2000ms);
  EXPECT_EQ(exit.signal, SIGTERM);
  // Nothing is left alive in the group: the background sleep died too (zombies wait for init).
  int alive = 0;
  for (int attempt = 0; attempt < 200; ++attempt) {
    alive = live_members(group);
    if (alive == 0) {
      break;
    }
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(alive, 0);
}

TEST_F(SystemRunnerTest, MissingProgramIsAnInfrastructureError) {
  ProcessSpec spec;
  spec.argv = {"plumb-no-such-program-anywhere"};
  EXPECT_THROW(runner_->start(spec), core::InfrastructureError);
  spec.argv = {(dir_ / "absent").string()};
  EXPECT_THROW(runner_->start(spec), core::InfrastructureError);
}

}  // namespace
}  // namespace plumb::run

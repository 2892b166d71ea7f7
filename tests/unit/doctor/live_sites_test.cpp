// plumb doctor --sites against real processes: heaptrack attached through gdb (or preloaded), the
// growing site named, the process left running with recording stopped, every failure an error.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>
#include <thread>

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "plumb/core/report_json.hpp"
#include "plumb/doctor/monitor.hpp"
#include "plumb/run/process.hpp"
#include "plumb/run/system_runner.hpp"

namespace plumb::doctor {
namespace {

namespace fs = std::filesystem;

// A program the doctor attaches to: started in its own process group, stopped at the end.
class Target {
 public:
  explicit Target(std::vector<std::string> argv) {
    run::ProcessSpec spec;
    spec.argv = std::move(argv);
    handle_ = run::make_system_runner()->start(spec);
  }
  ~Target() { stop(0.5); }
  Target(const Target&) = delete;
  Target& operator=(const Target&) = delete;

  pid_t pid() const { return static_cast<pid_t>(handle_->pid()); }

  bool exited() {
    if (!exit_) exit_ = handle_->poll();
    return exit_.has_value();
  }

  void stop(double grace_s) {
    if (!exited()) exit_ = run::terminate_group(*handle_, std::chrono::milliseconds(static_cast<long>(grace_s * 1000)));
  }

 private:
  std::unique_ptr<run::ProcessHandle> handle_;
  std::optional<run::ProcessExit> exit_;
};

struct DoctorRun {
  int exit_code = -1;
  std::string output;
  core::Report report;
};

class DoctorSites : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::temp_directory_path() / ("plumb-doctor-sites-" + std::to_string(getpid()) + "-" +
                                           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(folder_);
    fs::create_directories(folder_);
  }
  void TearDown() override { fs::remove_all(folder_); }

  // Runs plumb doctor with `args`, its report in a fresh folder.
  DoctorRun doctor(const std::string& args) {
    const fs::path out = folder_ / "out";
    const fs::path log = folder_ / "output.txt";
    const std::string command =
        std::string(PLUMB_DOCTOR_PLUMB) + " doctor --out " + out.string() + " " + args + " > " + log.string() + " 2>&1";
    DoctorRun run;
    const int status = std::system(command.c_str());
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ifstream text(log);
    std::stringstream all;
    all << text.rdbuf();
    run.output = all.str();
    std::ifstream json(out / "report.json");
    if (json) run.report = core::read_report(json, "report.json");
    return run;
  }

  fs::path folder_;
};

const core::Finding* growing_site(const core::Report& report) {
  for (const auto& finding : report.findings) {
    if (finding.kind == core::FindingKind::HeapGrowth && finding.metric.rfind("live bytes at ", 0) == 0) return &finding;
  }
  return nullptr;
}

std::size_t count_entries(const fs::path& folder) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(folder)) ++n;
  return n;
}

// The doctor's pipe that `pid` holds open, or an empty path.
fs::path doctor_pipe_of(pid_t pid) {
  std::error_code error;
  for (const auto& entry : fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd", error)) {
    fs::path target = fs::read_symlink(entry.path(), error);
    if (target.string().find("plumb-doctor-") != std::string::npos) return target;
  }
  return {};
}

// Whether any descriptor of `pid` is a pipe the doctor made.
bool holds_doctor_pipe(pid_t pid) {
  return !doctor_pipe_of(pid).empty();
}

char state_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  std::getline(in, stat);
  const auto close = stat.rfind(')');
  return close == std::string::npos || close + 2 >= stat.size() ? '?' : stat[close + 2];
}

TEST_F(DoctorSites, AttachedNamesTheGrowingSiteAndLeavesTheProcessRunningUnrecorded) {
  Target target({PLUMB_DOCTOR_CHILD_SITE_MIX, "leak"});
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const fs::path task = "/proc/" + std::to_string(target.pid()) + "/task";
  const std::size_t threads_before = count_entries(task);
  const auto run = doctor("--sites --duration 4 --interval 0.1 --pid " + std::to_string(target.pid()));
  EXPECT_EQ(run.exit_code, 1) << run.output;
  const auto* site = growing_site(run.report);
  ASSERT_NE(site, nullptr) << run.output;
  EXPECT_EQ(site->site, "remember@child_site_mix.cpp");
  EXPECT_EQ(site->metric, "live bytes at remember@child_site_mix.cpp");
  EXPECT_FALSE(site->fingerprint.empty());
  EXPECT_EQ(site->disposition, core::Disposition::Gating);
  EXPECT_EQ(site->bytes % 256, 0u);
  EXPECT_EQ(run.report.verdict, core::Verdict::Fail);
  // Exactly one growing site: the cache filled before the watch and the churn frees what it takes.
  std::size_t sites = 0;
  for (const auto& finding : run.report.findings) sites += finding.metric.rfind("live bytes at ", 0) == 0 ? 1 : 0;
  EXPECT_EQ(sites, 1u) << run.output;
  EXPECT_NE(run.output.find("growing allocation sites"), std::string::npos);
  // The process runs on, not stopped, no longer writing to the doctor's pipe, its recording thread gone.
  EXPECT_FALSE(target.exited());
  EXPECT_NE(state_of(target.pid()), 'T');
  EXPECT_NE(state_of(target.pid()), 't');
  EXPECT_FALSE(holds_doctor_pipe(target.pid()));
  EXPECT_EQ(count_entries(task), threads_before);
  EXPECT_NE(run.report.variants.at(0).note.find("runs on"), std::string::npos);
  EXPECT_TRUE(fs::exists(folder_ / "out" / "heaptrack" / "heaptrack.zst"));
  EXPECT_TRUE(fs::exists(folder_ / "out" / "heaptrack" / "live-bytes.html"));
}

// The processes reading the doctor's pipe that `pid` writes into (heaptrack_interpret and the shell
// that started it).
std::vector<pid_t> pipe_readers_of(pid_t pid) {
  std::vector<pid_t> readers;
  std::error_code error;
  const fs::path pipe = doctor_pipe_of(pid);
  if (pipe.empty()) return readers;
  for (const auto& process : fs::directory_iterator("/proc", error)) {
    const std::string name = process.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos || name == std::to_string(pid)) continue;
    std::error_code ignored;
    if (fs::read_symlink(process.path() / "fd" / "0", ignored) == pipe) readers.push_back(std::stoi(name));
  }
  return readers;
}

// The stop must not run heaptrack_stop() in a thread that holds heaptrack's lock: with the trace
// writer stalled, the process blocks writing the full pipe inside heaptrack with the lock held, and a
// stop called in that thread would wait on itself for ever (gdb killed after 60 s, the process left
// mid-call). The stop lets that thread leave heaptrack first, once the writer drains the pipe again.
TEST_F(DoctorSites, StopWhileTheProcessIsBlockedInsideHeaptrackWaitsForItToLeave) {
  Target target({PLUMB_DOCTOR_CHILD_SITE_MIX, "busy"});
  const pid_t pid = target.pid();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const fs::path task = "/proc/" + std::to_string(pid) + "/task";
  const std::size_t threads_before = count_entries(task);
  bool blocked_in_write = false;
  std::thread staller([&blocked_in_write, pid] {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    std::vector<pid_t> readers;
    while ((readers = pipe_readers_of(pid)).empty() && std::chrono::steady_clock::now() < give_up) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    for (const pid_t reader : readers) kill(reader, SIGSTOP);
    // The pipe (64 KiB) fills within a second at this program's rate; the watch ends 3 s after the
    // attach, and the writer is held until 2 s after that. The main thread writing just before the
    // watch ends is blocked there, holding heaptrack's lock, when the stop comes.
    for (int i = 0; i < 50; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (i != 25) continue;
      std::ifstream syscall("/proc/" + std::to_string(pid) + "/syscall");
      std::string number;
      syscall >> number;
      blocked_in_write = number == "1";  // write(2) on x86-64
    }
    for (const pid_t reader : readers) kill(reader, SIGCONT);
  });
  const auto run = doctor("--sites --duration 3 --interval 0.1 --pid " + std::to_string(pid));
  staller.join();
#if defined(__x86_64__)
  EXPECT_TRUE(blocked_in_write) << "the main thread was not blocked writing heaptrack's trace before the stop";
#endif
  // The recording stalled, so whether the site grows is not the question; an error (3) is wrong.
  EXPECT_NE(run.exit_code, 3) << run.output;
  EXPECT_NE(run.output.find("runs on"), std::string::npos) << run.output;
  EXPECT_EQ(run.output.find("did not stop recording"), std::string::npos) << run.output;
  EXPECT_FALSE(target.exited());
  EXPECT_NE(state_of(pid), 'T');
  EXPECT_NE(state_of(pid), 't');
  EXPECT_FALSE(holds_doctor_pipe(pid));
  EXPECT_EQ(count_entries(task), threads_before);
  std::ifstream stop_log(folder_ / "out" / "heaptrack" / "gdb-stop.log");
  std::stringstream log;
  log << stop_log.rdbuf();
  EXPECT_NE(log.str().find("leave heaptrack"), std::string::npos) << log.str();
}

TEST_F(DoctorSites, CleanProcessHasNoGrowingSiteAndItsFilledCacheIsAPlateau) {
  const auto run = doctor(std::string("--sites --duration 4 --interval 0.1 -- ") + PLUMB_DOCTOR_CHILD_SITE_MIX + " clean");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(growing_site(run.report), nullptr) << run.output;
  EXPECT_EQ(run.report.verdict, core::Verdict::Pass);
  bool cache_series = false;
  for (const auto& series : run.report.growth) {
    if (series.metric == "live bytes at cache_put@child_site_mix.cpp") {
      cache_series = true;
      EXPECT_EQ(series.verdict, core::GrowthVerdict::Ok);
    }
  }
  EXPECT_TRUE(cache_series) << run.output;
  EXPECT_NE(run.output.find("rose and stopped"), std::string::npos) << run.output;
}

TEST_F(DoctorSites, ContainerMembersGrowAtTheUserFunctionNotInTheStandardLibrary) {
  const auto run =
      doctor(std::string("--sites --duration 4 --interval 0.1 -- ") + PLUMB_DOCTOR_CHILD_SITE_MIX + " members");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  const auto* site = growing_site(run.report);
  ASSERT_NE(site, nullptr) << run.output;
  EXPECT_EQ(site->site, "add@child_site_mix.cpp");
  for (const auto& finding : run.report.findings) {
    if (finding.metric.rfind("live bytes at ", 0) == 0) {
      EXPECT_EQ(finding.site, "add@child_site_mix.cpp");
    }
  }
}

TEST_F(DoctorSites, ProcessEndingMidWatchIsIncompleteNeverAPass) {
  Target target({PLUMB_DOCTOR_CHILD_SITE_MIX, "clean"});
  const pid_t pid = target.pid();
  std::thread killer([&target, pid] {
    // Once the recording runs (the process holds the doctor's pipe; attaching takes longer on a
    // loaded machine), then a second into the watch.
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!holds_doctor_pipe(pid) && std::chrono::steady_clock::now() < give_up) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    target.stop(0.1);
  });
  const auto run = doctor("--sites --duration 8 --interval 0.1 --pid " + std::to_string(pid));
  killer.join();
  EXPECT_EQ(run.exit_code, 3) << run.output;
  EXPECT_EQ(run.report.verdict, core::Verdict::Error);
  ASSERT_FALSE(run.report.variants.empty());
  bool said = false;
  for (const auto& error : run.report.variants[0].errors) said = said || error.find("during the watch") != std::string::npos;
  EXPECT_TRUE(said) << run.output;
}

TEST_F(DoctorSites, StaticProgramCannotBeAttachedToSaysWhyAndStillDiagnoses) {
  Target target({PLUMB_DOCTOR_CHILD_STATIC});
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const auto run = doctor("--sites --duration 2 --interval 0.1 --pid " + std::to_string(target.pid()));
  EXPECT_EQ(run.exit_code, 3) << run.output;
  EXPECT_NE(run.output.find("cannot record allocation sites of pid"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("rss"), std::string::npos);  // The /proc diagnosis is still given.
  EXPECT_EQ(run.report.growth.size(), 3u);
  EXPECT_FALSE(target.exited());
  EXPECT_NE(state_of(target.pid()), 'T');
  EXPECT_NE(state_of(target.pid()), 't');
}

// A program heaptrack's hooks would recurse in (not position-independent, malloc's address taken,
// as Debian's python3): the doctor refuses to attach, says why and what to do instead, and the
// process runs on as it was (attaching killed it with SIGSEGV, as `heaptrack -p` does).
TEST_F(DoctorSites, AProgramHeaptracksHooksWouldCrashIsNotAttachedToAndRunsOn) {
  Target target({PLUMB_DOCTOR_CHILD_CANONICAL_PLT});
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const auto run = doctor("--sites --duration 2 --interval 0.1 --pid " + std::to_string(target.pid()));
  EXPECT_EQ(run.exit_code, 3) << run.output;
  EXPECT_NE(run.output.find("built without -fPIE that takes the address of malloc, free"), std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("(plumb doctor --sites -- COMMAND)"), std::string::npos) << run.output;
  EXPECT_EQ(run.report.growth.size(), 3u);  // The /proc diagnosis is still given.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_FALSE(target.exited());
  EXPECT_NE(state_of(target.pid()), 'T');
  EXPECT_NE(state_of(target.pid()), 't');
}

}  // namespace
}  // namespace plumb::doctor

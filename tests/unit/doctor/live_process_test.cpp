// The doctor against real processes: each child program shows one behaviour for about 2.5 s.
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "plumb/core/errors.hpp"
#include "plumb/doctor/diagnosis.hpp"
#include "plumb/doctor/monitor.hpp"
#include "plumb/run/process.hpp"
#include "plumb/run/system_runner.hpp"

namespace plumb::doctor {
namespace {

const MetricVerdict& metric(const Diagnosis& diagnosis, const std::string& name) {
  for (const auto& m : diagnosis.metrics) {
    if (m.metric == name) return m;
  }
  throw std::runtime_error("no metric " + name);
}

// `argv` started as plumb doctor starts a command: through the process runner, in its own group.
std::unique_ptr<run::ProcessHandle> start(const std::vector<std::string>& argv) {
  run::ProcessSpec spec;
  spec.argv = argv;
  spec.new_process_group = true;
  return run::make_system_runner()->start(spec);
}

// Whether `child` has ended (reaped once; later calls keep the answer).
std::function<bool()> ended(run::ProcessHandle& child) {
  auto exit = std::make_shared<std::optional<run::ProcessExit>>();
  return [&child, exit] {
    if (!*exit) *exit = child.poll();
    return exit->has_value();
  };
}

Diagnosis watch(const std::vector<std::string>& argv) {
  const auto child = start(argv);
  ObserveOptions options;
  options.interval_s = 0.05;
  options.duration_s = 2.5;
  const auto observation = observe(child->pid(), options, ended(*child));
  run::terminate_group(*child, std::chrono::seconds(1));
  EXPECT_FALSE(observation.exited_early) << argv[0] << " ended on its own";
  const auto diagnosis = diagnose(observation.samples, Thresholds{}, static_cast<double>(sysconf(_SC_CLK_TCK)));
  for (const auto& line : describe(diagnosis)) {
    std::cout << line << "\n";
  }
  return diagnosis;
}

TEST(DoctorLive, SteadyAllocateAndFreeBusyLoopIsHealthy) {
  const auto diagnosis = watch({PLUMB_DOCTOR_CHILD_STEADY_CHURN});
  ASSERT_TRUE(diagnosis.conclusive);
  EXPECT_TRUE(diagnosis.healthy());
  EXPECT_NE(diagnosis.activity, Activity::Idle);
  EXPECT_GT(diagnosis.cpu_cores, 0.2);
}

TEST(DoctorLive, LeakOf64KiBPer10msIsMemoryGrowth) {
  const auto diagnosis = watch({PLUMB_DOCTOR_CHILD_LEAKER, "64"});
  ASSERT_TRUE(diagnosis.conclusive);
  const auto& rss = metric(diagnosis, "rss");
  EXPECT_TRUE(rss.growing);
  // 6400 KiB/s at best; sleeping 10 ms per block makes it somewhat less, never more.
  EXPECT_GT(rss.slope_per_s, 1024.0 * 1024.0);
  EXPECT_LT(rss.slope_per_s, 1.2 * 6400.0 * 1024.0);
  EXPECT_FALSE(metric(diagnosis, "threads").growing);
  EXPECT_FALSE(metric(diagnosis, "fds").growing);
  EXPECT_FALSE(diagnosis.healthy());
}

TEST(DoctorLive, OpeningFdsIsFdGrowth) {
  const auto diagnosis = watch({PLUMB_DOCTOR_CHILD_FD_OPENER});
  ASSERT_TRUE(diagnosis.conclusive);
  const auto& fds = metric(diagnosis, "fds");
  EXPECT_TRUE(fds.growing);
  EXPECT_GT(fds.last - fds.first, 10);
  EXPECT_FALSE(metric(diagnosis, "threads").growing);
}

TEST(DoctorLive, SpawningThreadsIsThreadGrowth) {
  const auto diagnosis = watch({PLUMB_DOCTOR_CHILD_THREAD_SPAWNER});
  ASSERT_TRUE(diagnosis.conclusive);
  const auto& threads = metric(diagnosis, "threads");
  EXPECT_TRUE(threads.growing);
  EXPECT_GT(threads.last - threads.first, 5);
  EXPECT_FALSE(metric(diagnosis, "fds").growing);
}

TEST(DoctorLive, SleeperIsIdleAndHealthy) {
  const auto diagnosis = watch({PLUMB_DOCTOR_CHILD_SLEEPER});
  ASSERT_TRUE(diagnosis.conclusive);
  EXPECT_TRUE(diagnosis.healthy());
  EXPECT_EQ(diagnosis.activity, Activity::Idle);
}

TEST(DoctorLive, ACommandThatCannotStartIsAnInfrastructureError) {
  EXPECT_THROW(start({"plumb-doctor-no-such-program"}), core::InfrastructureError);
}

TEST(DoctorLive, AProcessThatEndsEarlyEndsTheObservation) {
  const auto child = start({"true"});
  ObserveOptions options;
  options.interval_s = 0.05;
  options.duration_s = 2;
  const auto observation = observe(child->pid(), options, ended(*child));
  EXPECT_TRUE(observation.exited_early);
  EXPECT_LT(observation.elapsed_s, 1.5);
  EXPECT_FALSE(diagnose(observation.samples, Thresholds{}, 100).conclusive);
}

}  // namespace
}  // namespace plumb::doctor

#include "plumb/doctor/monitor.hpp"

#include <chrono>
#include <thread>

namespace plumb::doctor {

Observation observe(pid_t pid, const ObserveOptions& options, const std::function<bool()>& has_exited) {
  Observation observation;
  const auto start = std::chrono::steady_clock::now();
  const auto interval = std::chrono::duration<double>(options.interval_s);
  for (long tick = 0;; ++tick) {
    if (options.interval_s * static_cast<double>(tick) > options.duration_s + 1e-9) {
      break;
    }
    std::this_thread::sleep_until(start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(interval * tick));
    const double now = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::optional<ProcSample> sample;
    if (!(has_exited && has_exited())) {
      sample = read_proc_sample(pid, now);
    }
    if (!sample) {
      observation.exited_early = true;
      break;
    }
    observation.samples.push_back(*sample);
  }
  observation.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return observation;
}

}  // namespace plumb::doctor

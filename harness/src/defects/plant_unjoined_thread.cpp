// thread-unjoined: a worker started every iteration parks waiting for work and is never joined.
// The thread count grows while it parks; at exit the workers are released and finish, still
// unjoined, which is what ThreadSanitizer reports as a thread leak.
#include <pthread.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "plumb/harness/defects.hpp"
#include "plumb/harness/process_probes.hpp"

namespace plumb::harness {

namespace {

constexpr std::size_t kWorkerStackBytes = 64 * 1024;

// The workers' shared parking lot; handles are kept (reachable) but nobody joins them.
struct ParkedWorkers {
  std::mutex mutex;
  std::condition_variable wake;
  bool released = false;
  std::atomic<std::size_t> running{0};
  std::vector<pthread_t> handles;
};

ParkedWorkers& parked_workers() {
  static auto* workers = new ParkedWorkers();
  return *workers;
}

void* park_until_released(void*) {
  ParkedWorkers& workers = parked_workers();
  {
    std::unique_lock lock(workers.mutex);
    workers.wake.wait(lock, [&] { return workers.released; });
  }
  workers.running.fetch_sub(1);
  return nullptr;
}

}  // namespace

__attribute__((noinline)) void plant_unjoined_thread() {
  ParkedWorkers& workers = parked_workers();
  pthread_attr_t attributes;
  pthread_attr_init(&attributes);
  pthread_attr_setstacksize(&attributes, kWorkerStackBytes);
  pthread_t handle;
  workers.running.fetch_add(1);
  const int error = pthread_create(&handle, &attributes, park_until_released, nullptr);
  pthread_attr_destroy(&attributes);
  if (error != 0) {
    workers.running.fetch_sub(1);
    throw std::runtime_error("thread-unjoined: pthread_create failed");
  }
  const std::lock_guard lock(workers.mutex);
  workers.handles.push_back(handle);  // Kept, never joined: the defect.
}

void release_unjoined_threads() {
  ParkedWorkers& workers = parked_workers();
  std::size_t remaining_threads = 0;
  {
    const std::lock_guard lock(workers.mutex);
    if (workers.handles.empty()) return;
    // Every parked worker is still running here (none can leave before `released` is set).
    const std::size_t before = thread_count().value_or(0);
    remaining_threads = before > workers.handles.size() ? before - workers.handles.size() : 0;
    workers.released = true;
  }
  workers.wake.notify_all();
  // Wait until the workers have returned and their kernel tasks are gone, so that at exit they are
  // finished-but-unjoined threads rather than running ones.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (workers.running.load() == 0 && thread_count().value_or(0) <= remaining_threads) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace plumb::harness

#include "plumb/harness/scan_leak.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <stdexcept>

#include <plumb/stats/theil_sen.hpp>

#include "plumb/harness/bounded_series.hpp"
#include "plumb/harness/dataset.hpp"
#include "plumb/harness/defects.hpp"
#include "plumb/harness/deterministic_random.hpp"
#include "plumb/harness/growth_verdict.hpp"
#include "plumb/harness/heap_probe.hpp"
#include "plumb/harness/process_probes.hpp"
#include "plumb/harness/progress.hpp"
#include "plumb/harness/runtime.hpp"
#include "plumb/harness/samples_writer.hpp"
#include "plumb/harness/snapshotter.hpp"
#include "plumb/harness/workload.hpp"

namespace plumb::harness {

namespace {

// One sampled metric: its kept points, threshold and (with --report-first-failure) first failure.
struct Metric {
  const char* name;
  const char* unit;
  double threshold;
  BoundedSeries series;
  bool available = true;
  std::optional<std::uint64_t> first_failure;
};

enum MetricIndex : std::size_t { kRss, kHeap, kThreads, kFds, kCacheBytes, kMetricCount };

// Switches on the planted defect for iteration `iteration`; a no-op for the clean harness.
void inject_defect(const Options& options, std::uint64_t iteration, const Dataset& dataset,
                   const spectre::WorkerPool& race_pool) {
  switch (options.inject.defect) {
    case Defect::None:
      return;
    case Defect::LeakDirect:
      if (iteration == 0) plant_direct_leak();
      return;
    case Defect::LeakIndirect:
      if (iteration == 0) plant_indirect_leak();
      return;
    case Defect::LeakPerIteration:
      plant_per_iteration_leak(options.inject.bytes);
      return;
    case Defect::ListenerAccumulation:
      plant_listener_accumulation();
      notify_scan_listeners(dataset.expected_matches);
      return;
    case Defect::CacheUnbounded:
      plant_unbounded_cache(dataset.announcements, dataset.keys.id(), iteration);
      return;
    case Defect::ClosureHoldsInput:
      plant_closure_holding_input(dataset.announcements, iteration);
      return;
    case Defect::ThreadUnjoined:
      plant_unjoined_thread();
      return;
    case Defect::Race:
      plant_data_race(race_pool, dataset.announcements);
      return;
  }
}

std::string format_value(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

}  // namespace

int run_scan_leak(const Options& options, std::ostream& out, std::ostream& err) {
  try {
    install_deterministic_random(options.seed);
    const Runtime runtime = detect_runtime(options.valgrind_tool);
    const std::string_view heap_source = heap_source_name(runtime, options.snapshots);
    const std::uint64_t every = options.effective_sample_every();
    const std::uint64_t warmup = options.effective_warmup();

    const Dataset dataset = make_dataset(options.announcements, options.match_fraction);
    Workload workload(options, dataset);
    const spectre::WorkerPool race_pool(std::max(2u, workload.pool().threads()));
    Snapshotter snapshotter(runtime, options.snapshot_dir, options.snapshots);

    const Thresholds& t = options.thresholds;
    const std::size_t capacity = options.series_capacity;
    std::array<Metric, kMetricCount> metrics{{
        {"rss", "bytes", t.rss_bytes, BoundedSeries(capacity), true, std::nullopt},
        {"heap", "bytes", t.heap_bytes, BoundedSeries(capacity), true, std::nullopt},
        {"threads", "count", t.threads, BoundedSeries(capacity), true, std::nullopt},
        {"fds", "count", t.fds, BoundedSeries(capacity), true, std::nullopt},
        {"cache_bytes", "bytes", t.cache_bytes, BoundedSeries(capacity), true, std::nullopt},
    }};
    metrics[kHeap].available = heap_source != "unavailable";
    // Under Valgrind and the sanitizers the process's RSS is mostly the tool's own (shadow memory,
    // freed blocks held back from reuse: memcheck's freelist, ASan's quarantine; TSan's traces and
    // sync objects) and grows for reasons the client does not control. The exact heap counter
    // covers those runs; RSS is judged natively only.
    metrics[kRss].available = runtime == Runtime::Native;

    // Every line reaches the file when it is written: a run killed at any point (an OOM kill, a
    // CI timeout) leaves every sample taken before it, and plumb judges those.
    std::ofstream samples;
    if (options.samples_path) {
      samples.open(*options.samples_path, std::ios::out | std::ios::trunc);
      if (!samples) throw std::runtime_error("cannot write --samples " + options.samples_path->string());
      std::vector<std::string> judged;
      for (const Metric& metric : metrics) {
        if (metric.available) judged.emplace_back(metric.name);
      }
      samples << meta_line(options, heap_source, to_string(runtime), judged) << std::endl;
    }

    // Scratch for the fits, sized and touched up front so judging never allocates mid-run.
    stats::TheilSenWorkspace workspace;
    if (options.report_first_failure) {
      workspace.slopes.resize(capacity * (capacity - 1) / 2);
      workspace.scratch.resize(capacity);
    }

    const auto started = std::chrono::steady_clock::now();
    std::uint64_t sequence = 0;
    std::optional<std::uint64_t> last_heap;
    ProgressClock progress(progress_enabled(options.progress),
                           std::chrono::milliseconds(static_cast<long long>(options.progress_every_s * 1000)),
                           started);
    auto report_progress = [&](std::uint64_t completed) {
      const auto now = std::chrono::steady_clock::now();
      if (!progress.due(now)) return;
      ProgressState state;
      state.iteration = completed;
      state.iterations = options.iterations;
      state.scans_per_iteration = options.announcements;
      state.elapsed_s = std::chrono::duration<double>(now - started).count();
      state.rss_bytes = resident_bytes();
      state.heap_bytes = last_heap;
      err << progress_line(state) << std::endl;
    };
    auto take_sample = [&](std::uint64_t iteration) {
      Sample sample;
      sample.iteration = iteration;
      // The heap is read first: the probes below allocate (opendir) and would blur it.
      sample.heap = snapshotter.take(sequence++);
      if (!sample.heap) sample.heap = allocator_live_bytes(runtime);
      if (!metrics[kHeap].available) sample.heap.reset();
      sample.rss = resident_bytes().value_or(0);
      sample.threads = thread_count().value_or(0);
      sample.fds = open_fd_count().value_or(0);
      sample.cache_bytes = workload.cache_bytes();
      if (options.inject.defect == Defect::CacheUnbounded) sample.cache_bytes += unbounded_cache_bytes();
      sample.t_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      if (samples) samples << sample_line(sample) << std::endl;
      last_heap = sample.heap;
      if (iteration < warmup) return;

      const std::array<double, kMetricCount> values{
          static_cast<double>(sample.rss), static_cast<double>(sample.heap.value_or(0)),
          static_cast<double>(sample.threads), static_cast<double>(sample.fds),
          static_cast<double>(sample.cache_bytes)};
      for (std::size_t i = 0; i < kMetricCount; ++i) {
        Metric& metric = metrics[i];
        if (!metric.available) continue;
        metric.series.add(static_cast<double>(iteration), values[i]);
        if (!options.report_first_failure || metric.first_failure) continue;
        if (judge_series(metric.name, metric.unit, metric.series, metric.threshold, workspace).fail) {
          metric.first_failure = iteration;
        }
      }
    };

    take_sample(0);
    for (std::uint64_t iteration = 0; iteration < options.iterations; ++iteration) {
      workload.run_iteration();
      inject_defect(options, iteration, dataset, race_pool);
      const std::uint64_t completed = iteration + 1;
      if (completed % every == 0 || completed == options.iterations) take_sample(completed);
      report_progress(completed);
    }
    if (options.inject.defect == Defect::ThreadUnjoined) release_unjoined_threads();
    if (samples) samples.flush();

    bool fail = false;
    std::vector<SummarySeries> summary;
    for (Metric& metric : metrics) {
      if (!metric.available) continue;
      SummarySeries entry{judge_series(metric.name, metric.unit, metric.series, metric.threshold, workspace),
                          {}};
      if (options.report_first_failure) entry.first_failure = metric.first_failure;
      fail = fail || entry.verdict.fail;
      summary.push_back(std::move(entry));
    }

    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    out << "scan_leak: mode " << to_string(options.mode) << ", " << options.announcements
        << " announcements x " << options.iterations << " iterations in " << format_value(elapsed)
        << " s under " << to_string(runtime) << " (heap: " << heap_source << "), inject "
        << options.inject.to_string() << "\n";
    for (const SummarySeries& entry : summary) {
      const SeriesVerdict& v = entry.verdict;
      out << "  " << std::left << std::setw(12) << v.metric << std::right << " slope "
          << format_value(v.slope) << " " << v.unit << "/iter  95% CI [" << format_value(v.ci_low) << ", "
          << format_value(v.ci_high) << "]  threshold " << format_value(v.threshold) << "  n=" << v.samples
          << "  " << (v.fail ? "FAIL" : "ok") << "\n";
    }
    if (!metrics[kHeap].available) out << "  heap         unavailable under " << to_string(runtime) << "\n";
    if (!metrics[kRss].available)
      out << "  rss          not judged under " << to_string(runtime) << " (tool memory)\n";
    const std::string line = summary_line(fail, summary);
    if (samples) {
      samples << line << '\n';
      samples.close();
      if (!samples)
        throw std::runtime_error("writing --samples " + options.samples_path->string() + " failed");
    }
    out << line << std::endl;
    return fail ? kExitGrowth : kExitClean;
  } catch (const std::exception& error) {
    err << "scan_leak: " << error.what() << "\n";
    return kExitInfrastructure;
  }
}

}  // namespace plumb::harness

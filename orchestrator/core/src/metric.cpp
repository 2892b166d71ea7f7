#include "plumb/core/metric.hpp"

namespace plumb::core {
namespace {

constexpr std::array<MetricSpec, kAllMetrics.size()> kMetrics{{
    {Metric::Rss, "rss", "bytes", "Resident set size (RSS)", FindingKind::HeapGrowth, true},
    {Metric::Heap, "heap", "bytes", "Live heap", FindingKind::HeapGrowth, true},
    {Metric::MassifHeap, "massif_heap", "bytes", "Heap (massif)", FindingKind::HeapGrowth, false},
    {Metric::MassifHeapExtra, "massif_heap_extra", "bytes", "Allocator overhead (massif)", FindingKind::HeapGrowth,
     false},
    {Metric::MassifStacks, "massif_stacks", "bytes", "Stacks (massif)", FindingKind::HeapGrowth, false},
    {Metric::Threads, "threads", "count", "Threads", FindingKind::ThreadLeak, true},
    {Metric::Fds, "fds", "count", "Open file descriptors", FindingKind::FdLeak, true},
    {Metric::CacheBytes, "cache_bytes", "bytes", "Cache bytes", FindingKind::HeapGrowth, true},
}};

constexpr bool table_follows_enum() {
  for (std::size_t i = 0; i < kMetrics.size(); ++i) {
    if (kMetrics[i].metric != kAllMetrics[i] || static_cast<std::size_t>(kAllMetrics[i]) != i) {
      return false;
    }
  }
  return true;
}
static_assert(table_follows_enum(), "kMetrics has one row per Metric, in the enum's order");

}  // namespace

const MetricSpec& spec_of(Metric metric) {
  return kMetrics[static_cast<std::size_t>(metric)];
}

std::string_view name_of(Metric metric) {
  return spec_of(metric).name;
}

std::optional<Metric> metric_named(std::string_view name) {
  for (const MetricSpec& spec : kMetrics) {
    if (spec.name == name) {
      return spec.metric;
    }
  }
  return std::nullopt;
}

std::string_view unit_of(std::string_view name) {
  const auto metric = metric_named(name);
  return metric ? spec_of(*metric).unit : std::string_view("bytes");
}

std::string_view title_of(std::string_view name) {
  const auto metric = metric_named(name);
  return metric ? spec_of(*metric).title : name;
}

FindingKind growth_kind(std::string_view name) {
  const auto metric = metric_named(name);
  return metric ? spec_of(*metric).kind : FindingKind::HeapGrowth;
}

}  // namespace plumb::core

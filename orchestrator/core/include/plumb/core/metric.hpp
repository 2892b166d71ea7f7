// The metrics a growth series measures: one table row each (its report name, unit, title and the
// kind of finding its growth is). Report files and the samples format spell them by name.
#pragma once

#include <array>
#include <optional>
#include <string_view>

#include "plumb/core/model.hpp"

namespace plumb::core {

// A measured quantity of a running program, in the order reports show them.
enum class Metric {
  Rss,              // Resident set size (harness, doctor).
  Heap,             // Live heap bytes by the allocator's own count (harness).
  MassifHeap,       // Heap bytes massif measured.
  MassifHeapExtra,  // The allocator's overhead massif measured.
  MassifStacks,     // Stack bytes massif measured (--stacks=yes).
  Threads,          // Thread count (harness, doctor).
  Fds,              // Open file descriptors (harness, doctor).
  CacheBytes,       // Bytes the scanner's cache holds (harness).
};

// One metric's row of the table.
struct MetricSpec {
  Metric metric;
  std::string_view name;   // Its name in report.json, the samples format and the CLI, e.g. "cache_bytes".
  std::string_view unit;   // "bytes" or "count".
  std::string_view title;  // A heading for humans, e.g. "Open file descriptors".
  FindingKind kind;        // What its growth is: a thread leak, an fd leak, or heap growth.
  bool harness;            // Whether scan_leak's samples carry it.
};

// Every metric in the table's (and the reports') order.
inline constexpr std::array kAllMetrics = {Metric::Rss,          Metric::Heap,    Metric::MassifHeap,
                                           Metric::MassifHeapExtra, Metric::MassifStacks, Metric::Threads,
                                           Metric::Fds,          Metric::CacheBytes};

// The table row of `metric`.
const MetricSpec& spec_of(Metric metric);

// The report name of `metric`, e.g. "rss".
std::string_view name_of(Metric metric);

// The metric named `name`, or nullopt (a doctor's per-site series, "live bytes at f@x.c", has none).
std::optional<Metric> metric_named(std::string_view name);

// The unit of the series named `name`: its metric's, else "bytes".
std::string_view unit_of(std::string_view name);

// The title of the series named `name`: its metric's, else the name itself.
std::string_view title_of(std::string_view name);

// The kind of finding the growth of the series named `name` is: its metric's (threads a thread
// leak, fds an fd leak), else heap growth (a growing allocation site's live bytes).
FindingKind growth_kind(std::string_view name);

}  // namespace plumb::core

#include "plumb/parse/massif.hpp"
#include "plumb/parse/massif_node.hpp"

#include "plumb/core/frame_origin.hpp"
#include "plumb/stats/least_squares.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "text.hpp"

namespace plumb::parse {
namespace {

using core::GrowthSeries;
using core::GrowthSite;
using core::SamplePoint;
using detail::trim;

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// Allocation wrappers massif does not fold into "(heap allocation functions)" by default: a
// site is the leaf-most frame that is none of these.
bool is_allocator(std::string_view function) {
  static constexpr std::string_view kPrefixes[] = {"malloc",
                                                   "calloc",
                                                   "realloc",
                                                   "memalign",
                                                   "posix_memalign",
                                                   "aligned_alloc",
                                                   "valloc",
                                                   "operator new",
                                                   "strdup",
                                                   "strndup",
                                                   "sodium_malloc",
                                                   "sodium_allocarray",
                                                   "std::allocator",
                                                   "std::__new_allocator",
                                                   "__gnu_cxx::new_allocator",
                                                   "std::allocator_traits",
                                                   "__libc_"};
  for (const auto prefix : kPrefixes) {
    if (starts_with(function, prefix)) {
      return true;
    }
  }
  return function.find("::allocate(") != std::string_view::npos ||
         function.find("_M_allocate") != std::string_view::npos;
}

// The least-squares line of `points` (stats::least_squares): massif takes few snapshots.
std::pair<double, double> least_squares(const std::vector<SamplePoint>& points) {
  std::vector<double> x;
  std::vector<double> y;
  x.reserve(points.size());
  y.reserve(points.size());
  for (const auto& point : points) {
    x.push_back(point.iteration);
    y.push_back(point.value);
  }
  const stats::Line line = stats::least_squares(x, y);
  return {line.slope, line.intercept};
}

using Node = MassifNode;

using SiteKey = std::tuple<std::string, std::string, int>;

// One snapshot being read.
struct Snapshot {
  double number = 0;
  std::uint64_t heap = 0;
  std::uint64_t extra = 0;
  std::uint64_t stacks = 0;
  bool has_time = false;
  bool has_tree_line = false;
  bool detailed = false;
  std::uint64_t pending_nodes = 0;
  std::map<SiteKey, std::uint64_t> sites;
  std::vector<bool>
      allocator_chain;  // Per depth: every node from the root down is an allocator or library code.
  // Per depth: a library node on the chain and the bytes of it no user frame below has claimed;
  // a growing site is named by the innermost user frame, the library one only when none is shown.
  std::vector<std::pair<std::optional<SiteKey>, std::uint64_t>> library_open;
};

class MassifReader {
 public:
  void line(std::string_view raw, long number) {
    const MassifLine line = read_massif_line(raw);
    switch (line.kind) {
      case MassifLineKind::Blank:
      case MassifLineKind::Comment:
        return;
      case MassifLineKind::Header:
        result_.recognised = true;
        return;
      case MassifLineKind::Snapshot:
        end_snapshot(number);
        result_.recognised = true;
        snapshot_.emplace();
        snapshot_->number = static_cast<double>(line.count.value_or(snapshots_));
        ++snapshots_;
        return;
      case MassifLineKind::HeapBytes:
      case MassifLineKind::HeapExtraBytes:
      case MassifLineKind::StackBytes:
      case MassifLineKind::Time:
      case MassifLineKind::HeapTree:
      case MassifLineKind::Node:
      case MassifLineKind::Other:
        break;
    }
    if (!snapshot_) {
      result_.warnings.push_back("line " + std::to_string(number) + ": unexpected text before the first snapshot");
      return;
    }
    switch (line.kind) {
      case MassifLineKind::HeapBytes:
        snapshot_->heap = line.count.value_or(0);
        return;
      case MassifLineKind::HeapExtraBytes:
        snapshot_->extra = line.count.value_or(0);
        return;
      case MassifLineKind::StackBytes:
        snapshot_->stacks = line.count.value_or(0);
        return;
      case MassifLineKind::Time:
        snapshot_->has_time = true;
        return;
      case MassifLineKind::HeapTree:
        snapshot_->has_tree_line = true;
        snapshot_->detailed = line.tree != "empty";
        snapshot_->pending_nodes = snapshot_->detailed ? 1 : 0;
        return;
      case MassifLineKind::Node:
        add_node(*line.node, number);
        return;
      case MassifLineKind::Blank:
      case MassifLineKind::Comment:
      case MassifLineKind::Header:
      case MassifLineKind::Snapshot:
      case MassifLineKind::Other:
        break;
    }
    result_.warnings.push_back("line " + std::to_string(number) +
                               ": not a massif line: " + std::string(trim(raw).substr(0, 80)));
  }

  core::ParseResult finish(long last_line) {
    end_snapshot(last_line);
    if (!result_.recognised) {
      result_.complete = false;
      return std::move(result_);
    }
    if (snapshots_ == 0) {
      result_.complete = false;
      result_.incomplete_reason =
          "the massif file has a header and no snapshot: massif never measured the heap";
      return std::move(result_);
    }
    GrowthSeries heap = series("massif_heap", heap_points_);
    heap.sites = growing_sites();
    result_.growth.push_back(std::move(heap));
    result_.growth.push_back(series("massif_heap_extra", extra_points_));
    result_.growth.push_back(series("massif_stacks", stack_points_));
    return std::move(result_);
  }

 private:
  void add_node(const Node& node, long number) {
    Snapshot& snap = *snapshot_;
    if (snap.pending_nodes == 0) {
      result_.warnings.push_back("line " + std::to_string(number) + ": heap tree node outside a tree");
      return;
    }
    snap.pending_nodes += node.children;
    --snap.pending_nodes;
    const auto depth = static_cast<std::size_t>(node.depth);
    close_library_nodes(snap, depth);
    snap.allocator_chain.resize(depth + 1);
    snap.library_open.resize(depth + 1);
    if (depth == 0) {
      snap.allocator_chain[0] = true;  // The root: "(heap allocation functions)".
      return;
    }
    const bool parent_chain = snap.allocator_chain[depth - 1];
    const bool allocator = !node.below_threshold && is_allocator(node.function);
    const bool library = !node.below_threshold && core::is_library_frame(core::Frame{node.function, node.file,
                                                                                     node.line, node.object});
    snap.allocator_chain[depth] = parent_chain && (allocator || library);
    if (parent_chain && library && !allocator) {
      snap.library_open[depth] = {SiteKey{node.function, node.file, node.line}, node.bytes};
    }
    if (parent_chain && !node.below_threshold && !allocator) {
      // The nearest library node above (allocator frames between pass through) hands these bytes on.
      for (std::size_t d = depth - 1; d > 0 && snap.allocator_chain[d]; --d) {
        auto& [key, unclaimed] = snap.library_open[d];
        if (key) {
          unclaimed -= std::min(unclaimed, node.bytes);
          break;
        }
      }
    }
    if (parent_chain && !allocator && !library && !node.below_threshold) {
      snap.sites[SiteKey{node.function, node.file, node.line}] += node.bytes;
    }
  }

  // Library nodes at `depth` and deeper are complete: what no user frame claimed is their own.
  static void close_library_nodes(Snapshot& snap, std::size_t depth) {
    for (std::size_t d = snap.library_open.size(); d-- > depth;) {
      auto& [key, unclaimed] = snap.library_open[d];
      if (key && unclaimed > 0) {
        snap.sites[*key] += unclaimed;
      }
      key.reset();
      unclaimed = 0;
    }
  }

  void end_snapshot(long number) {
    if (!snapshot_) {
      return;
    }
    Snapshot& snap = *snapshot_;
    close_library_nodes(snap, 0);
    if (!snap.has_tree_line || !snap.has_time || snap.pending_nodes != 0) {
      result_.complete = false;
      result_.incomplete_reason =
          "snapshot " + std::to_string(static_cast<long>(snap.number)) + " is cut off";
      result_.warnings.push_back("line " + std::to_string(number) + ": snapshot " +
                                 std::to_string(static_cast<long>(snap.number)) +
                                 " is incomplete; the file was cut off");
    }
    heap_points_.push_back({snap.number, static_cast<double>(snap.heap)});
    extra_points_.push_back({snap.number, static_cast<double>(snap.extra)});
    stack_points_.push_back({snap.number, static_cast<double>(snap.stacks)});
    if (snap.detailed) {
      detailed_numbers_.push_back(snap.number);
      const std::size_t index = detailed_numbers_.size() - 1;
      for (auto& [key, bytes] : snap.sites) {
        auto& history = site_bytes_[key];
        history.resize(index, 0);
        history.push_back(bytes);
      }
    }
    snapshot_.reset();
  }

  static GrowthSeries series(std::string metric, const std::vector<SamplePoint>& points) {
    GrowthSeries out;
    out.metric = std::move(metric);
    out.unit = "bytes";
    out.axis = core::GrowthAxis::Snapshot;
    out.samples = points;
    const auto [slope, intercept] = least_squares(points);
    out.slope_per_iteration = slope;
    out.intercept = intercept;
    return out;
  }

  std::vector<GrowthSite> growing_sites() {
    std::vector<GrowthSite> sites;
    for (auto& [key, history] : site_bytes_) {
      history.resize(detailed_numbers_.size(), 0);
      std::vector<SamplePoint> points;
      points.reserve(history.size());
      for (std::size_t i = 0; i < history.size(); ++i) {
        points.push_back({detailed_numbers_[i], static_cast<double>(history[i])});
      }
      const double slope = least_squares(points).first;
      if (slope <= 0) {
        continue;
      }
      GrowthSite site;
      site.function = std::get<0>(key);
      site.file = std::get<1>(key);
      site.line = std::get<2>(key);
      site.slope_per_iteration = slope;
      site.last_bytes = history.back();
      sites.push_back(std::move(site));
    }
    std::stable_sort(sites.begin(), sites.end(), [](const GrowthSite& a, const GrowthSite& b) {
      return a.slope_per_iteration > b.slope_per_iteration;
    });
    return sites;
  }

  core::ParseResult result_;
  std::optional<Snapshot> snapshot_;
  double snapshots_ = 0;
  std::vector<SamplePoint> heap_points_;
  std::vector<SamplePoint> extra_points_;
  std::vector<SamplePoint> stack_points_;
  std::vector<double> detailed_numbers_;
  std::map<SiteKey, std::vector<std::uint64_t>> site_bytes_;
};

}  // namespace

core::ParseResult parse_massif(std::istream& in) {
  MassifReader reader;
  std::string line;
  long number = 0;
  while (std::getline(in, line)) {
    ++number;
    reader.line(line, number);
  }
  return reader.finish(number);
}

}  // namespace plumb::parse

#include "plumb/profile/massif.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plumb/core/errors.hpp"
#include "plumb/parse/massif_node.hpp"

namespace plumb::profile {

namespace {

struct TreeLine {
  std::size_t depth = 0;
  std::uint64_t bytes = 0;
  std::string frame;
};

// A heap-tree node (parse::read_massif_line reads the line for both massif readers) as a frame of
// the folded stack: its function, or what massif put below its threshold.
TreeLine tree_line(const parse::MassifNode& node) {
  TreeLine out;
  out.depth = static_cast<std::size_t>(node.depth);
  out.bytes = node.bytes;
  out.frame = node.below_threshold      ? "[below threshold: " + node.below_places + "]"
              : node.function.empty() ? std::string("???")
                                      : sanitize_frame(node.function);
  return out;
}

// Why `line`, inside a heap tree and not a node, is an error: it starts as a node line does ("n"
// after the indent) but is not one; nullopt for any other line (the tree has ended).
std::optional<std::string> bad_tree_line(std::string_view line) {
  const auto start = line.find_first_not_of(' ');
  if (start == std::string_view::npos || line[start] != 'n') {
    return std::nullopt;
  }
  return line.find(": ") != std::string_view::npos ? "a heap tree line without a byte count"
                                                   : "expected a heap tree line 'nK: bytes ...'";
}

struct Snapshot {
  int index = -1;
  std::uint64_t heap_bytes = 0;
  std::string tree_kind;  // "empty", "detailed" or "peak".
  std::vector<TreeLine> tree;
};

FoldedProfile fold_tree(const std::vector<TreeLine>& tree) {
  FoldedProfile folded;
  // path[d] is the frame at depth d; depth 0 is the allocation-functions root, skipped.
  std::vector<std::string> path;
  for (std::size_t i = 0; i < tree.size(); ++i) {
    const auto& node = tree[i];
    path.resize(node.depth + 1);
    path[node.depth] = node.frame;
    std::uint64_t children = 0;
    for (std::size_t j = i + 1; j < tree.size() && tree[j].depth > node.depth; ++j) {
      if (tree[j].depth == node.depth + 1) {
        children += tree[j].bytes;
      }
    }
    if (node.depth == 0 || node.bytes <= children) {
      continue;
    }
    // Massif's tree grows outward from the allocator; a flame graph reads from the outermost caller.
    Stack stack(path.rbegin(), path.rend() - 1);
    folded.add(stack, node.bytes - children);
  }
  return folded;
}

}  // namespace

MassifProfile fold_massif(std::istream& in, const std::string& source, MassifSnapshot which, std::optional<int> index) {
  std::vector<Snapshot> snapshots;
  int peak = -1;
  std::string line;
  long number = 0;
  bool in_tree = false;
  while (std::getline(in, line)) {
    ++number;
    const parse::MassifLine read = parse::read_massif_line(line);
    if (read.kind == parse::MassifLineKind::Snapshot) {
      Snapshot snapshot;
      snapshot.index = static_cast<int>(read.count.value_or(0));
      snapshots.push_back(std::move(snapshot));
      in_tree = false;
      continue;
    }
    if (snapshots.empty()) {
      continue;
    }
    switch (read.kind) {
      case parse::MassifLineKind::HeapBytes:
        snapshots.back().heap_bytes = read.count.value_or(0);
        break;
      case parse::MassifLineKind::HeapTree:
        snapshots.back().tree_kind = std::string(read.tree);
        if (snapshots.back().tree_kind == "peak") {
          peak = static_cast<int>(snapshots.size()) - 1;
        }
        in_tree = snapshots.back().tree_kind != "empty";
        break;
      case parse::MassifLineKind::Node:
        if (in_tree) {
          snapshots.back().tree.push_back(tree_line(*read.node));
        }
        break;
      case parse::MassifLineKind::Comment:
        in_tree = false;
        break;
      case parse::MassifLineKind::Other:
        if (const auto why = in_tree ? bad_tree_line(line) : std::nullopt) {
          throw core::UsageError(core::located_message(source, number, *why));
        }
        break;
      case parse::MassifLineKind::Blank:
      case parse::MassifLineKind::Header:
      case parse::MassifLineKind::Snapshot:
      case parse::MassifLineKind::HeapExtraBytes:
      case parse::MassifLineKind::StackBytes:
      case parse::MassifLineKind::Time:
        break;
    }
  }
  int chosen = -1;
  if (index) {
    for (std::size_t i = 0; i < snapshots.size(); ++i) {
      if (snapshots[i].index == *index) {
        chosen = static_cast<int>(i);
      }
    }
  } else if (which == MassifSnapshot::Peak && peak >= 0) {
    chosen = peak;
  } else {
    for (std::size_t i = snapshots.size(); i-- > 0;) {
      if (!snapshots[i].tree.empty()) {
        chosen = static_cast<int>(i);
        break;
      }
    }
  }
  if (chosen < 0 || snapshots[static_cast<std::size_t>(chosen)].tree.empty()) {
    throw core::UsageError(core::located_message(source, 0, "no detailed heap tree for the requested snapshot"));
  }
  const auto& snapshot = snapshots[static_cast<std::size_t>(chosen)];
  MassifProfile out;
  out.snapshot = snapshot.index;
  out.heap_bytes = snapshot.heap_bytes;
  out.folded = fold_tree(snapshot.tree);
  return out;
}

}  // namespace plumb::profile

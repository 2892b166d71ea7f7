#include "plumb/profile/massif.hpp"

#include <cstdlib>
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

// A heap-tree line as a frame of the folded stack: its function (parse::parse_massif_node reads
// the line for both massif readers), or what massif put below its threshold.
TreeLine parse_tree_line(std::string_view line, const std::string& source, long number) {
  const auto node = parse::parse_massif_node(line);
  if (!node) {
    const auto start = line.find_first_not_of(' ');
    const bool node_line = start != std::string_view::npos && line[start] == 'n' && line.find(": ") != std::string_view::npos;
    throw core::UsageError(core::located_message(
        source, number, node_line ? "a heap tree line without a byte count" : "expected a heap tree line 'nK: bytes ...'"));
  }
  TreeLine out;
  out.depth = static_cast<std::size_t>(node->depth);
  out.bytes = node->bytes;
  out.frame = node->below_threshold      ? "[below threshold: " + node->below_places + "]"
              : node->function.empty() ? std::string("???")
                                       : sanitize_frame(node->function);
  return out;
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
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    std::string_view text = line;
    if (text.substr(0, 9) == "snapshot=") {
      Snapshot snapshot;
      snapshot.index = std::atoi(line.c_str() + 9);
      snapshots.push_back(std::move(snapshot));
      in_tree = false;
    } else if (snapshots.empty()) {
      continue;
    } else if (text.substr(0, 11) == "mem_heap_B=") {
      snapshots.back().heap_bytes = std::strtoull(line.c_str() + 11, nullptr, 10);
    } else if (text.substr(0, 10) == "heap_tree=") {
      snapshots.back().tree_kind = line.substr(10);
      if (snapshots.back().tree_kind == "peak") {
        peak = static_cast<int>(snapshots.size()) - 1;
      }
      in_tree = snapshots.back().tree_kind != "empty";
    } else if (in_tree && text.find_first_not_of(' ') != std::string_view::npos &&
               text[text.find_first_not_of(' ')] == 'n') {
      snapshots.back().tree.push_back(parse_tree_line(text, source, number));
    } else if (text.substr(0, 1) == "#") {
      in_tree = false;
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

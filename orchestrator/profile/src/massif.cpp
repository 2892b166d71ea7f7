#include "plumb/profile/massif.hpp"

#include <charconv>
#include <cstdlib>
#include <vector>

#include "plumb/core/errors.hpp"

namespace plumb::profile {

namespace {

struct TreeLine {
  std::size_t depth = 0;
  std::uint64_t bytes = 0;
  std::string frame;
};

bool is_location(std::string_view inside) {
  if (inside.substr(0, 3) == "in ") {
    return true;
  }
  const auto colon = inside.rfind(':');
  return colon != std::string_view::npos && colon + 1 < inside.size() &&
         inside.find_first_not_of("0123456789", colon + 1) == std::string_view::npos;
}

// "0x109167: leaf(unsigned long) (t.cpp:5)" -> "leaf(unsigned long)".
std::string frame_of(std::string_view rest) {
  if (rest.substr(0, 2) == "0x") {
    const auto colon = rest.find(": ");
    if (colon != std::string_view::npos) {
      rest.remove_prefix(colon + 2);
    }
  } else if (rest.substr(0, 3) == "in ") {
    // "in 3 places, all below massif's threshold (1.00%)".
    const auto comma = rest.find(',');
    return "[below threshold: " + std::string(rest.substr(3, comma == std::string_view::npos ? rest.size() : comma - 3)) + "]";
  }
  if (!rest.empty() && rest.back() == ')') {
    const auto open = rest.rfind(" (");
    if (open != std::string_view::npos && is_location(rest.substr(open + 2, rest.size() - open - 3))) {
      rest = rest.substr(0, open);
    }
  }
  return sanitize_frame(rest);
}

TreeLine parse_tree_line(std::string_view line, const std::string& source, long number) {
  TreeLine out;
  out.depth = line.find_first_not_of(' ');
  line.remove_prefix(out.depth);
  const auto colon = line.find(": ");
  if (line.empty() || line.front() != 'n' || colon == std::string_view::npos) {
    throw core::UsageError(core::located_message(source, number, "expected a heap tree line 'nK: bytes ...'"));
  }
  auto rest = line.substr(colon + 2);
  const auto space = rest.find(' ');
  const auto bytes_text = rest.substr(0, space);
  const auto [end, error] = std::from_chars(bytes_text.data(), bytes_text.data() + bytes_text.size(), out.bytes);
  if (error != std::errc{} || end != bytes_text.data() + bytes_text.size()) {
    throw core::UsageError(core::located_message(source, number, "a heap tree line without a byte count"));
  }
  out.frame = space == std::string_view::npos ? "???" : frame_of(rest.substr(space + 1));
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

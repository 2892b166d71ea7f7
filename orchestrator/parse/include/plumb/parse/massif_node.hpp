// One line of a massif heap tree, read once for both of its readers: the growth parser (which
// sites' bytes grow) and plumb profile's fold of one snapshot into a flame graph.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace plumb::parse {

// " n2: 4096 0x10916D: remember (grow.c:10)" as massif writes it.
struct MassifNode {
  int depth = 0;                  // Leading spaces: the node's depth in the tree (0: the root).
  std::uint64_t children = 0;     // The "nK" count of child lines that follow.
  std::uint64_t bytes = 0;        // Bytes allocated at or below this node.
  bool below_threshold = false;   // "in N places, all below massif's threshold": no function.
  std::string below_places;       // With below_threshold: "N places" (or "1 place").
  std::string function;           // Empty for the root line and below-threshold lines.
  std::string file;               // From "(file:line)", else empty.
  int line = 0;
  std::string object;             // From "(in /path/object)" when massif names no file.
};

// The node of a heap-tree line, or nullopt when `raw` is not one ("nK: bytes ..." after spaces).
// Only a trailing "(file:line)" or "(in object)" is taken as the location; a function's own
// parameter list stays in `function`.
std::optional<MassifNode> parse_massif_node(std::string_view raw);

}  // namespace plumb::parse

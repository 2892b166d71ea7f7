// One line of a massif file, read once for both of its readers: the growth parser (which sites'
// bytes grow, the heap's per snapshot) and plumb profile's fold of one snapshot into a flame graph.
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

// What a line of a massif file is.
enum class MassifLineKind {
  Blank,           // Nothing but spaces.
  Header,          // "desc:", "cmd:" or "time_unit:" before the first snapshot.
  Comment,         // "#-----------": around each snapshot's header.
  Snapshot,        // "snapshot=N": a snapshot starts.
  HeapBytes,       // "mem_heap_B=N".
  HeapExtraBytes,  // "mem_heap_extra_B=N".
  StackBytes,      // "mem_stacks_B=N".
  Time,            // "time=N".
  HeapTree,        // "heap_tree=empty|detailed|peak".
  Node,            // A heap-tree line.
  Other,           // None of these (a cut or foreign line).
};

// One line of a massif file, classified.
struct MassifLine {
  MassifLineKind kind = MassifLineKind::Other;
  std::optional<std::uint64_t> count;  // Snapshot: its number; *Bytes and Time: the value (nullopt: not a number).
  std::string_view tree;               // HeapTree: "empty", "detailed" or "peak" (a view into the line).
  std::optional<MassifNode> node;      // Node: the node.
};

// What `raw` (one line, without its newline; a trailing '\r' is ignored) is.
MassifLine read_massif_line(std::string_view raw);

}  // namespace plumb::parse

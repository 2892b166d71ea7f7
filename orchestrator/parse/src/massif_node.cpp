#include "plumb/parse/massif_node.hpp"

#include <utility>

#include "text.hpp"

namespace plumb::parse {
namespace {

using detail::trim;

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// Whether the inside of a trailing parenthesised group is a location: "file:line" or "in object".
bool is_location(std::string_view inside) {
  if (starts_with(inside, "in ")) {
    return true;
  }
  const auto colon = inside.rfind(':');
  return colon != std::string_view::npos && colon + 1 < inside.size() &&
         inside.find_first_not_of("0123456789", colon + 1) == std::string_view::npos;
}

}  // namespace

MassifLine read_massif_line(std::string_view raw) {
  // The snapshot header's "name=number" lines, each by its name.
  static constexpr std::pair<std::string_view, MassifLineKind> kCounts[] = {
      {"snapshot=", MassifLineKind::Snapshot},          {"mem_heap_B=", MassifLineKind::HeapBytes},
      {"mem_heap_extra_B=", MassifLineKind::HeapExtraBytes}, {"mem_stacks_B=", MassifLineKind::StackBytes},
      {"time=", MassifLineKind::Time}};
  MassifLine line;
  const std::string_view text = trim(raw);
  if (text.empty()) {
    line.kind = MassifLineKind::Blank;
    return line;
  }
  if (starts_with(text, "desc:") || starts_with(text, "cmd:") || starts_with(text, "time_unit:")) {
    line.kind = MassifLineKind::Header;
    return line;
  }
  if (starts_with(text, "#")) {
    line.kind = MassifLineKind::Comment;
    return line;
  }
  for (const auto& [name, kind] : kCounts) {
    if (starts_with(text, name)) {
      line.kind = kind;
      line.count = detail::parse_count(text.substr(name.size()));
      return line;
    }
  }
  if (starts_with(text, "heap_tree=")) {
    line.kind = MassifLineKind::HeapTree;
    line.tree = text.substr(10);
  } else if ((line.node = parse_massif_node(raw))) {
    line.kind = MassifLineKind::Node;
  }
  return line;
}

std::optional<MassifNode> parse_massif_node(std::string_view raw) {
  MassifNode node;
  std::size_t depth = 0;
  while (depth < raw.size() && raw[depth] == ' ') {
    ++depth;
  }
  std::string_view text = trim(raw.substr(depth));
  if (text.size() < 3 || text.front() != 'n') {
    return std::nullopt;
  }
  const auto colon = text.find(": ");
  if (colon == std::string_view::npos) {
    return std::nullopt;
  }
  const auto children = detail::parse_count(text.substr(1, colon - 1));
  if (!children) {
    return std::nullopt;
  }
  node.depth = static_cast<int>(depth);
  node.children = *children;
  text = text.substr(colon + 2);
  const auto space = text.find(' ');
  const auto bytes = detail::parse_count(text.substr(0, space));
  if (!bytes) {
    return std::nullopt;
  }
  node.bytes = *bytes;
  text = space == std::string_view::npos ? std::string_view() : trim(text.substr(space + 1));
  if (starts_with(text, "in ") && text.find("below massif's threshold") != std::string_view::npos) {
    // "in 3 places, all below massif's threshold (1.00%)".
    node.below_threshold = true;
    const auto comma = text.find(',');
    node.below_places = std::string(text.substr(3, comma == std::string_view::npos ? text.size() - 3 : comma - 3));
    return node;
  }
  if (starts_with(text, "0x")) {
    const auto address_end = text.find(": ");
    text = address_end == std::string_view::npos ? std::string_view() : text.substr(address_end + 2);
  }
  // A trailing "(file:line)" or "(in /path/object)": the last parenthesised group, when it is one.
  if (!text.empty() && text.back() == ')') {
    int level = 0;
    std::size_t open = std::string_view::npos;
    for (std::size_t i = text.size(); i-- > 0;) {
      if (text[i] == ')') {
        ++level;
      } else if (text[i] == '(' && --level == 0) {
        open = i;
        break;
      }
    }
    if (open != std::string_view::npos && open > 0) {
      const auto inside = text.substr(open + 1, text.size() - open - 2);
      if (is_location(inside)) {
        if (starts_with(inside, "in ")) {
          node.object = std::string(inside.substr(3));
        } else {
          const auto line_colon = inside.rfind(':');
          node.file = std::string(inside.substr(0, line_colon));
          node.line = static_cast<int>(detail::parse_count(inside.substr(line_colon + 1)).value_or(0));
        }
        text = trim(text.substr(0, open));
      }
    }
  }
  node.function = std::string(text);
  return node;
}

}  // namespace plumb::parse

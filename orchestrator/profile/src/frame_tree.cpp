#include "plumb/profile/frame_tree.hpp"

#include <algorithm>

namespace plumb::profile {

const FrameNode* FrameNode::find_child(const std::string& child_name) const {
  const auto it = std::lower_bound(children.begin(), children.end(), child_name,
                                   [](const FrameNode& node, const std::string& key) { return node.name < key; });
  return it != children.end() && it->name == child_name ? &*it : nullptr;
}

namespace {

FrameNode& child_named(FrameNode& parent, const std::string& name) {
  auto it = std::lower_bound(parent.children.begin(), parent.children.end(), name,
                             [](const FrameNode& node, const std::string& key) { return node.name < key; });
  if (it == parent.children.end() || it->name != name) {
    FrameNode node;
    node.name = name;
    it = parent.children.insert(it, std::move(node));
  }
  return *it;
}

}  // namespace

FrameNode build_frame_tree(const FoldedProfile& profile, const std::string& root_name) {
  FrameNode root;
  root.name = root_name;
  for (const auto& [stack, count] : profile.counts) {
    root.total += count;
    FrameNode* node = &root;
    for (const auto& frame : stack) {
      node = &child_named(*node, frame);
      node->total += count;
    }
    node->self += count;
  }
  return root;
}

int tree_depth(const FrameNode& root) {
  int deepest = 0;
  for (const auto& child : root.children) {
    deepest = std::max(deepest, 1 + tree_depth(child));
  }
  return deepest;
}

}  // namespace plumb::profile

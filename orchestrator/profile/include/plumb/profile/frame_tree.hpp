// The folded stacks merged into a call tree: what a flame graph draws.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "plumb/profile/folded.hpp"

namespace plumb::profile {

// One frame in one calling context, with its inclusive and exclusive weight.
struct FrameNode {
  std::string name;
  std::uint64_t total = 0;  // This frame and everything it called.
  std::uint64_t self = 0;   // Samples whose innermost frame is this one.
  std::vector<FrameNode> children;  // Sorted by name, so the picture does not depend on input order.

  // The child called `child_name`, or nullptr.
  const FrameNode* find_child(const std::string& child_name) const;
};

// The call tree of `profile` under a root called `root_name` whose total is the profile's total.
FrameNode build_frame_tree(const FoldedProfile& profile, const std::string& root_name = "all");

// The number of frames below the root on the longest path.
int tree_depth(const FrameNode& root);

}  // namespace plumb::profile

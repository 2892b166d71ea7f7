#include "plumb/profile/folded.hpp"

#include <sstream>

#include <gtest/gtest.h>

#include "plumb/core/errors.hpp"
#include "plumb/profile/frame_tree.hpp"
#include "test_data.hpp"

namespace plumb::profile {
namespace {

FoldedProfile parse(const std::string& text) {
  std::istringstream in(text);
  return parse_folded(in, "input.folded");
}

std::string error_of(const std::string& text) {
  try {
    parse(text);
  } catch (const core::UsageError& error) {
    return error.what();
  }
  return "";
}

TEST(Folded, MergesIdenticalStacksAndKeepsSpacesInFrameNames) {
  const auto profile = parse("main;operator new(unsigned long) 3\n\nmain;work 5\nmain;operator new(unsigned long) 4\n");
  ASSERT_EQ(profile.counts.size(), 2u);
  EXPECT_EQ(profile.counts.at({"main", "operator new(unsigned long)"}), 7u);
  EXPECT_EQ(profile.counts.at({"main", "work"}), 5u);
  EXPECT_EQ(profile.total(), 12u);
}

TEST(Folded, MalformedLinesNameTheirLine) {
  EXPECT_EQ(error_of("a;b 1\na;b\n"), "input.folded:2: expected 'frame;frame;... count', found no count");
  EXPECT_EQ(error_of("a;b 1\n\na;b x7\n"), "input.folded:3: the count 'x7' is not a non-negative integer");
  EXPECT_EQ(error_of("a 1\n;; 4\n"), "input.folded:2: a stack without frames");
  EXPECT_EQ(error_of("a -3\n"), "input.folded:1: the count '-3' is not a non-negative integer");
}

TEST(Folded, RoundTripsThroughText) {
  const auto profile = parse("x;y;z 10\nx;y 2\nq 1\n");
  EXPECT_EQ(parse(to_folded_text(profile)).counts, profile.counts);
}

TEST(Folded, ReadsHeaptracksTrailingSeparator) {
  auto in = testing::open_data("heaptrack-leaked.folded");
  const auto profile = parse_folded(in, "heaptrack-leaked.folded");
  // alloc_demo leaks every third leaf(1000 + i), i < 300: 100 blocks of 1000 bytes plus 3 * (0 + ... + 99).
  const std::uint64_t leaked = 100 * 1000 + 3 * (99 * 100 / 2);
  EXPECT_EQ(profile.total(), leaked);
  const Stack leaking{"main (alloc_demo.cpp)", "middle(int) (alloc_demo.cpp)", "leaf(unsigned long) (alloc_demo.cpp)"};
  EXPECT_EQ(profile.counts.at(leaking), leaked);
}

TEST(Folded, SanitizesSeparatorsInFrameNames) { EXPECT_EQ(sanitize_frame("a;b\nc"), "a:b c"); }

TEST(FrameTree, TotalsAreInclusiveAndSelfIsWhereStacksEnd) {
  const auto root = build_frame_tree(parse("main;a;b 3\nmain;a 2\nmain;c 5\nother 1\n"));
  EXPECT_EQ(root.total, 11u);
  EXPECT_EQ(root.self, 0u);
  const auto* main_node = root.find_child("main");
  ASSERT_NE(main_node, nullptr);
  EXPECT_EQ(main_node->total, 10u);
  const auto* a = main_node->find_child("a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->total, 5u);
  EXPECT_EQ(a->self, 2u);
  EXPECT_EQ(a->find_child("b")->self, 3u);
  EXPECT_EQ(tree_depth(root), 3);
  // Every node's total is its self plus its children's totals.
  std::function<void(const FrameNode&)> check = [&](const FrameNode& node) {
    std::uint64_t sum = node.self;
    for (const auto& child : node.children) {
      sum += child.total;
      check(child);
    }
    EXPECT_EQ(sum, node.total) << node.name;
  };
  check(root);
}

}  // namespace
}  // namespace plumb::profile

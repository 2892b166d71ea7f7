// parse::parse_massif_node: the heap-tree line both massif readers (growth, flame graph) read.
#include "plumb/parse/massif_node.hpp"

#include <gtest/gtest.h>

namespace plumb::parse {
namespace {

TEST(MassifNode, ReadsDepthBytesFunctionAndLocation) {
  const auto node = parse_massif_node("  n1: 4096 0x10916D: remember(unsigned long) (grow.c:10)");
  ASSERT_TRUE(node);
  EXPECT_EQ(node->depth, 2);
  EXPECT_EQ(node->children, 1u);
  EXPECT_EQ(node->bytes, 4096u);
  EXPECT_EQ(node->function, "remember(unsigned long)");
  EXPECT_EQ(node->file, "grow.c");
  EXPECT_EQ(node->line, 10);
  EXPECT_TRUE(node->object.empty());
}

TEST(MassifNode, AnObjectIsALocationAParameterListIsNot) {
  const auto in_object = parse_massif_node(" n0: 64 0x4005D6: ??? (in /usr/lib/libfoo.so.1)");
  ASSERT_TRUE(in_object);
  EXPECT_EQ(in_object->function, "???");
  EXPECT_EQ(in_object->object, "/usr/lib/libfoo.so.1");
  const auto no_location = parse_massif_node(" n0: 64 0x4005D6: Pool::grow(int)");
  ASSERT_TRUE(no_location);
  EXPECT_EQ(no_location->function, "Pool::grow(int)");
  EXPECT_TRUE(no_location->file.empty());
}

TEST(MassifNode, BelowThresholdSaysHowManyPlaces) {
  const auto node = parse_massif_node("  n0: 120 in 3 places, all below massif's threshold (1.00%)");
  ASSERT_TRUE(node);
  EXPECT_TRUE(node->below_threshold);
  EXPECT_EQ(node->below_places, "3 places");
  EXPECT_TRUE(node->function.empty());
}

TEST(MassifNode, OtherLinesAreNotNodes) {
  EXPECT_FALSE(parse_massif_node("mem_heap_B=4096"));
  EXPECT_FALSE(parse_massif_node(" n1: lots remember (grow.c:10)"));
  EXPECT_FALSE(parse_massif_node(" nope"));
}

}  // namespace
}  // namespace plumb::parse

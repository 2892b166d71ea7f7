// parse::read_massif_line and parse_massif_node: the lines both massif readers (growth, flame graph) read.
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

// Every line massif writes has its kind and its number, a Windows line end or indent aside.
TEST(MassifLine, EachLineOfASnapshotHasItsKindAndValue) {
  EXPECT_EQ(read_massif_line("desc: --detailed-freq=1").kind, MassifLineKind::Header);
  EXPECT_EQ(read_massif_line("time_unit: i").kind, MassifLineKind::Header);
  EXPECT_EQ(read_massif_line("#-----------").kind, MassifLineKind::Comment);
  EXPECT_EQ(read_massif_line("   ").kind, MassifLineKind::Blank);
  const MassifLine snapshot = read_massif_line("snapshot=12\r");
  EXPECT_EQ(snapshot.kind, MassifLineKind::Snapshot);
  EXPECT_EQ(snapshot.count, 12U);
  EXPECT_EQ(read_massif_line("mem_heap_B=4096").count, 4096U);
  EXPECT_EQ(read_massif_line("mem_heap_B=4096").kind, MassifLineKind::HeapBytes);
  EXPECT_EQ(read_massif_line("mem_heap_extra_B=24").kind, MassifLineKind::HeapExtraBytes);
  EXPECT_EQ(read_massif_line("mem_heap_extra_B=24").count, 24U);
  EXPECT_EQ(read_massif_line("mem_stacks_B=0").kind, MassifLineKind::StackBytes);
  EXPECT_EQ(read_massif_line("time=1700").kind, MassifLineKind::Time);
  EXPECT_EQ(read_massif_line("mem_heap_B=lots").count, std::nullopt);
  const MassifLine tree = read_massif_line("heap_tree=peak\r");
  EXPECT_EQ(tree.kind, MassifLineKind::HeapTree);
  EXPECT_EQ(tree.tree, "peak");
  const MassifLine node = read_massif_line(" n0: 64 0x4005D6: Pool::grow(int) (pool.cpp:9)");
  ASSERT_EQ(node.kind, MassifLineKind::Node);
  EXPECT_EQ(node.node->function, "Pool::grow(int)");
  EXPECT_EQ(node.node->line, 9);
  EXPECT_EQ(read_massif_line(" n1: lots remember (grow.c:10)").kind, MassifLineKind::Other);
  EXPECT_EQ(read_massif_line("==123== Massif, a heap profiler").kind, MassifLineKind::Other);
}

}  // namespace
}  // namespace plumb::parse

#include "plumb/profile/massif.hpp"

#include <sstream>

#include <gtest/gtest.h>

#include "plumb/core/errors.hpp"
#include "test_data.hpp"

namespace plumb::profile {
namespace {

TEST(Massif, PeakTreeFoldsToThePeakHeapSize) {
  auto in = testing::open_data("massif.out");
  const auto profile = fold_massif(in, "massif.out");
  EXPECT_GE(profile.snapshot, 0);
  EXPECT_GT(profile.heap_bytes, 0u);
  EXPECT_EQ(profile.folded.total(), profile.heap_bytes);
  const Stack leaking{"main", "middle(int)", "leaf(unsigned long)"};
  ASSERT_TRUE(profile.folded.counts.count(leaking));
  // At the peak at least the 100 leaked blocks are live.
  EXPECT_GE(profile.folded.counts.at(leaking), 100u * 1000u);
}

TEST(Massif, PicksASnapshotByNumber) {
  auto in = testing::open_data("massif.out");
  const auto last = fold_massif(in, "massif.out", MassifSnapshot::LastDetailed);
  std::ifstream again(testing::data_path("massif.out"));
  const auto same = fold_massif(again, "massif.out", MassifSnapshot::Peak, last.snapshot);
  EXPECT_EQ(same.snapshot, last.snapshot);
  EXPECT_EQ(same.folded.counts, last.folded.counts);
}

TEST(Massif, BelowThresholdEntriesAndSelfBytes) {
  const std::string text =
      "snapshot=0\n#-----------\ntime=0\nmem_heap_B=300\nheap_tree=detailed\n"
      "n2: 300 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.\n"
      " n1: 250 0x1: make(int) (a.cpp:3)\n"
      "  n0: 250 0x2: main (a.cpp:9)\n"
      " n0: 50 in 2 places, all below massif's threshold (1.00%)\n";
  std::istringstream in(text);
  const auto profile = fold_massif(in, "inline", MassifSnapshot::LastDetailed);
  EXPECT_EQ(profile.folded.counts.at((Stack{"main", "make(int)"})), 250u);
  EXPECT_EQ(profile.folded.counts.at(Stack{"[below threshold: 2 places]"}), 50u);
}

TEST(Massif, MalformedTreeLineNamesItsLine) {
  std::istringstream in("snapshot=0\nmem_heap_B=1\nheap_tree=detailed\nn1: lots (heap allocation functions)\n");
  try {
    fold_massif(in, "m.out");
    FAIL() << "no error";
  } catch (const core::UsageError& error) {
    EXPECT_STREQ(error.what(), "m.out:4: a heap tree line without a byte count");
  }
}

}  // namespace
}  // namespace plumb::profile

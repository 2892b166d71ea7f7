// core::join, the one helper every message that lists names goes through.
#include <gtest/gtest.h>

#include "plumb/core/strings.hpp"

namespace plumb::core {
namespace {

TEST(Strings, JoinPutsTheSeparatorBetweenItemsOnly) {
  EXPECT_EQ(join({}), "");
  EXPECT_EQ(join({"malloc"}), "malloc");
  EXPECT_EQ(join({"malloc", "free", "realloc"}), "malloc, free, realloc");
  EXPECT_EQ(join({"a", "", "c"}, "|"), "a||c");  // an empty item keeps its place
}

}  // namespace
}  // namespace plumb::core

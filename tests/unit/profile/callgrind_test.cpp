#include "plumb/profile/callgrind.hpp"

#include <algorithm>
#include <sstream>

#include <gtest/gtest.h>

#include "plumb/core/errors.hpp"
#include "test_data.hpp"

namespace plumb::profile {
namespace {

TEST(Callgrind, ExclusiveCostsOfAllContextsAddUpToTheSummary) {
  auto in = testing::open_data("callgrind.out");
  const auto profile = fold_callgrind(in, "callgrind.out");
  EXPECT_EQ(profile.event, "Ir");
  ASSERT_GT(profile.summary, 0u);
  EXPECT_EQ(profile.folded.total(), profile.summary);
}

TEST(Callgrind, ContextsBecomeStacksOutermostFirst) {
  auto in = testing::open_data("callgrind.out");
  const auto profile = fold_callgrind(in, "callgrind.out");
  bool found = false;
  for (const auto& [stack, count] : profile.folded.counts) {
    if (!stack.empty() && stack.back() == "work(int)") {
      found = true;
      ASSERT_GE(stack.size(), 3u);
      EXPECT_EQ(stack[stack.size() - 2], "middle(int)");
      EXPECT_EQ(stack[stack.size() - 3], "main");
      EXPECT_GT(count, 0u);
    }
  }
  EXPECT_TRUE(found);
}

TEST(Callgrind, CallCostLinesAreNotCountedAsSelfCost) {
  const std::string text =
      "events: Ir\nsummary: 15\nfn=(1) main\n1 5\ncfn=(2) leaf'main\ncalls=1 0\n1 10\nfn=(2)\n2 10\n";
  std::istringstream in(text);
  const auto profile = fold_callgrind(in, "inline");
  EXPECT_EQ(profile.folded.counts.at(Stack{"main"}), 5u);
  EXPECT_EQ((profile.folded.counts.at(Stack{"main", "leaf"})), 10u);
  EXPECT_EQ(profile.folded.total(), profile.summary);
}

TEST(Callgrind, UnknownEventAndCostBeforeFunctionAreErrorsWithLines) {
  std::istringstream unknown("events: Ir\nfn=main\n1 3\n");
  EXPECT_THROW(
      {
        try {
          fold_callgrind(unknown, "x.out", "Dr");
        } catch (const core::UsageError& error) {
          EXPECT_STREQ(error.what(), "x.out:1: the profile has no event 'Dr'");
          throw;
        }
      },
      core::UsageError);
  std::istringstream early("events: Ir\n1 3\n");
  EXPECT_THROW(fold_callgrind(early, "y.out"), core::UsageError);
}

}  // namespace
}  // namespace plumb::profile

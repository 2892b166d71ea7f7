// Tool arguments that switch off detection: found per tool, the last setting wins, refused when
// the gate asks for what they hide unless the variant allows it, and named when allowed.
#include <gtest/gtest.h>

#include "plumb/core/errors.hpp"
#include "plumb/run/disabled_detection.hpp"

namespace plumb::run {
namespace {

using core::FindingKind;

TEST(DisabledDetection, FindsEachToolsSwitchesAndTheLastSettingWins) {
  EXPECT_EQ(disabled_detection(core::Tool::Asan, {"detect_leaks=0"}).size(), 1u);
  EXPECT_TRUE(disabled_detection(core::Tool::Asan, {"detect_leaks=0", "detect_leaks=1"}).empty());
  EXPECT_TRUE(disabled_detection(core::Tool::Asan, {"fast_unwind_on_malloc=1"}).empty());
  EXPECT_EQ(disabled_detection(core::Tool::Memcheck, {"--leak-check=no"}).at(0).kinds.size(), 4u);
  EXPECT_EQ(disabled_detection(core::Tool::Memcheck, {"--track-fds=no"}).at(0).kinds,
            std::vector<FindingKind>{FindingKind::FdLeak});
  EXPECT_EQ(disabled_detection(core::Tool::Tsan, {"report_bugs=0"}).at(0).kinds.size(), 3u);
  EXPECT_TRUE(disabled_detection(core::Tool::Tsan, {"detect_leaks=0"}).empty());  // not a TSan switch
}

TEST(DisabledDetection, IsRefusedWhenTheGateAsksForWhatItHidesUnlessAllowed) {
  const std::set<FindingKind> gate = {FindingKind::LeakDefinite, FindingKind::Race};
  try {
    check_disabled_detection(core::Tool::Asan, {"detect_leaks=0"}, gate, false, "variant 'v'", "set it");
    ADD_FAILURE() << "accepted";
  } catch (const core::UsageError& error) {
    EXPECT_NE(std::string(error.what())
                  .find("variant 'v': tool argument 'detect_leaks=0' turns off asan's "
                        "detection of leak.definite"),
              std::string::npos)
        << error.what();
  }
  const auto lines =
      check_disabled_detection(core::Tool::Asan, {"detect_leaks=0"}, gate, true, "variant 'v'", "set it");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "detection off: detect_leaks=0 (leak.definite, leak.indirect not seen)");
  // A switch that hides nothing the gate asks for is named, never refused.
  EXPECT_EQ(check_disabled_detection(core::Tool::Tsan, {"report_thread_leaks=0"}, gate, false, "v", "set it").size(),
            1u);
}

}  // namespace
}  // namespace plumb::run

// doctor::canonical_plt_hooks: which programs heaptrack's inject library would crash, read from
// their ELF files.
#include "plumb/doctor/inject_hazard.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace plumb::doctor {
namespace {

// A non-PIE program that takes malloc's and free's addresses names both.
TEST(InjectHazard, ANonPieProgramTakingMallocsAddressHasCanonicalPltHooks) {
  EXPECT_EQ(canonical_plt_hooks(PLUMB_DOCTOR_CHILD_CANONICAL_PLT), (std::vector<std::string>{"malloc", "free"}));
}

// An ordinary (position-independent) program that calls malloc, and a static one, name none.
TEST(InjectHazard, OrdinaryAndStaticProgramsHaveNone) {
  EXPECT_TRUE(canonical_plt_hooks(PLUMB_DOCTOR_CHILD_SITE_MIX).empty());
  EXPECT_TRUE(canonical_plt_hooks(PLUMB_DOCTOR_CHILD_STATIC).empty());
}

// What cannot be read as an ELF file says nothing.
TEST(InjectHazard, AFileThatIsNotAnElfProgramSaysNothing) {
  EXPECT_TRUE(canonical_plt_hooks(PLUMB_DOCTOR_GOLDEN_DIR).empty());
  EXPECT_TRUE(canonical_plt_hooks("/no/such/program").empty());
  EXPECT_TRUE(canonical_plt_hooks(__FILE__).empty());
}

}  // namespace
}  // namespace plumb::doctor

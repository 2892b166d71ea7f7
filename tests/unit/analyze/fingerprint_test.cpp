#include "plumb/analyze/fingerprint.hpp"

#include <gtest/gtest.h>

#include "real_frames.hpp"

namespace plumb::analyze {
namespace {

using core::FindingKind;
using core::Frame;

core::Finding finding(FindingKind kind, std::vector<Frame> frames, std::string tool = "memcheck") {
  core::Finding result;
  result.kind = kind;
  result.frames = std::move(frames);
  result.tools = {*core::reporter_named(tool)};
  return result;
}

TEST(Fingerprint, IsSixteenHexDigits) {
  const auto print = fingerprint(finding(FindingKind::LeakDefinite, testdata::memcheck_malloc_leak()));
  ASSERT_EQ(print.size(), 16u);
  EXPECT_EQ(print.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(Fingerprint, SameLeakFromLsanAndMemcheckIsOneFingerprint) {
  EXPECT_EQ(fingerprint(finding(FindingKind::LeakDefinite, testdata::lsan_gcc_malloc_leak(), "lsan")),
            fingerprint(finding(FindingKind::LeakDefinite, testdata::memcheck_malloc_leak())));
  EXPECT_EQ(fingerprint(finding(FindingKind::LeakDefinite, testdata::lsan_gcc_new_array_leak(), "lsan")),
            fingerprint(finding(FindingKind::LeakDefinite, testdata::memcheck_new_array_leak())));
  EXPECT_EQ(fingerprint(finding(FindingKind::LeakDefinite, testdata::lsan_clang_thread_leak(), "lsan")),
            fingerprint(finding(FindingKind::LeakDefinite, testdata::memcheck_thread_leak())));
}

TEST(Fingerprint, AnonymousNamespaceScopeIsNotPartOfTheIdentity) {
  // memcheck names an internal-linkage function with its scope, gcc's sanitizer runtime without.
  const auto qualified = finding(
      FindingKind::LeakDefinite,
      {{"plumb::harness::(anonymous namespace)::inject_defect(int)", "", 0, ""}, {"main", "", 0, ""}});
  const auto bare =
      finding(FindingKind::LeakDefinite, {{"inject_defect", "", 0, ""}, {"main", "", 0, ""}}, "lsan");
  EXPECT_EQ(fingerprint(qualified), fingerprint(bare));
  // Only the scope is dropped: another function still tells findings apart.
  const auto other =
      finding(FindingKind::LeakDefinite, {{"(anonymous namespace)::other", "", 0, ""}, {"main", "", 0, ""}});
  EXPECT_NE(fingerprint(qualified), fingerprint(other));
  // Library frames (standard-library names with no file) are not identity: two vectors of
  // different element types grown by different user functions differ by those functions, and
  // the same user function reached through either spelling of the library is one identity.
  const auto a = finding(
      FindingKind::LeakDefinite,
      {{"std::vector<(anonymous namespace)::A>::push_back", "", 0, ""}, {"add_a()", "src/a.cpp", 3, ""}});
  const auto b = finding(
      FindingKind::LeakDefinite,
      {{"std::vector<(anonymous namespace)::B>::push_back", "", 0, ""}, {"add_b()", "src/a.cpp", 9, ""}});
  EXPECT_NE(fingerprint(a), fingerprint(b));
  const auto a_short =
      finding(FindingKind::LeakDefinite, {{"push_back", "/usr/include/c++/12/bits/stl_vector.h", 1287, ""},
                                          {"add_a()", "/elsewhere/src/a.cpp", 4, ""}});
  EXPECT_EQ(fingerprint(a), fingerprint(a_short));
}

TEST(Fingerprint, DifferentLeaksAndKindsDiffer) {
  const auto malloc_leak = fingerprint(finding(FindingKind::LeakDefinite, testdata::memcheck_malloc_leak()));
  EXPECT_NE(malloc_leak,
            fingerprint(finding(FindingKind::LeakDefinite, testdata::memcheck_new_array_leak())));
  EXPECT_NE(malloc_leak, fingerprint(finding(FindingKind::LeakDefinite, {})));
  // Identity version 3: memcheck moving a block between definitely, indirectly and possibly lost
  // does not make it another bug; the allocator does.
  EXPECT_EQ(malloc_leak, fingerprint(finding(FindingKind::LeakIndirect, testdata::memcheck_malloc_leak())));
  EXPECT_EQ(malloc_leak, fingerprint(finding(FindingKind::LeakPossible, testdata::memcheck_malloc_leak())));
  auto by_calloc = finding(FindingKind::LeakDefinite, testdata::memcheck_malloc_leak());
  by_calloc.allocator = "calloc";
  EXPECT_NE(malloc_leak, fingerprint(by_calloc));
  EXPECT_NE(malloc_leak, fingerprint(finding(FindingKind::Race, testdata::memcheck_malloc_leak())));
}

TEST(Fingerprint, SurvivesLineAddressPathAndCloneChanges) {
  const auto original = fingerprint(finding(FindingKind::LeakDefinite, testdata::memcheck_malloc_leak()));
  auto frames = testdata::memcheck_malloc_leak();
  for (auto& frame : frames) {
    frame.line += 17;
    frame.file = "/some/other/checkout/" + frame.file;
    frame.object = "/elsewhere/" + frame.object;
  }
  frames[1].function = "plumbdemo::leaky_function(int) [clone .constprop.0]";
  frames[2].function = "0x5616c0fff1dd in caller()";
  EXPECT_EQ(fingerprint(finding(FindingKind::LeakDefinite, frames)), original);
}

TEST(Fingerprint, CoversOnlyTheTopFourUserFrames) {
  std::vector<Frame> frames = {{"malloc", "", 0, ""}, {"a", "", 0, ""}, {"b", "", 0, ""},
                               {"c", "", 0, ""},      {"d", "", 0, ""}, {"e", "", 0, ""}};
  const auto original = fingerprint(finding(FindingKind::LeakDefinite, frames));
  frames[5].function = "a_different_caller";
  EXPECT_EQ(fingerprint(finding(FindingKind::LeakDefinite, frames)), original);
  frames[4].function = "a_different_fourth_frame";
  EXPECT_NE(fingerprint(finding(FindingKind::LeakDefinite, frames)), original);
}

TEST(Fingerprint, UnsymbolizedFramesUseTheObjectFileNameOnly) {
  const auto a = fingerprint(finding(FindingKind::Crash, {{"", "", 0, "/usr/lib/libfoo.so.1"}}));
  const auto b = fingerprint(finding(FindingKind::Crash, {{"???", "", 0, "libfoo.so.1"}}));
  const auto c = fingerprint(finding(FindingKind::Crash, {{"", "", 0, "libbar.so"}}));
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST(Fingerprint, HeapGrowthUsesMetricAndSitesButNotVariant) {
  auto rss = finding(FindingKind::HeapGrowth, {{"Cache::insert", "cache.cpp", 10, ""}});
  rss.detail = "rss";
  auto heap = rss;
  heap.detail = "heap";
  auto other_variant = rss;
  other_variant.variants = {"memcheck-nightly"};
  other_variant.frames[0].line = 99;
  EXPECT_NE(fingerprint(rss), fingerprint(heap));
  EXPECT_EQ(fingerprint(rss), fingerprint(other_variant));
}

TEST(Fingerprint, IsStableAcrossBuilds) {
  // FNV-1a 64 of fixed input: a changed value here silently invalidates every user's baseline
  // (and must come with a new kIdentityVersion). Reference computed independently in Python:
  // FNV-1a over b"leak", 0xff, the allocator b"", 0xff, b"main", 0xff (b"main@x.cpp" for the second,
  // and the allocator b"malloc" for the third).
  EXPECT_EQ(fingerprint(finding(FindingKind::LeakDefinite, {{"main", "", 0, ""}})), "a7e73bb0242f956a");
  // Parameters, line, folder and object are not identity; the file's basename is.
  EXPECT_EQ(fingerprint(finding(FindingKind::LeakDefinite, {{"main()", "x.cpp", 3, "a.out"}})),
            fingerprint(finding(FindingKind::LeakDefinite, {{"main", "/build/src/x.cpp", 40, "b.out"}})));
  EXPECT_EQ(fingerprint(finding(FindingKind::LeakDefinite, {{"main()", "x.cpp", 3, "a.out"}})),
            "f8188d4090a30e0f");
  auto by_malloc = finding(FindingKind::LeakDefinite, {{"main()", "x.cpp", 3, "a.out"}});
  by_malloc.allocator = "malloc";
  EXPECT_EQ(fingerprint(by_malloc), "2ded362df23d3a77");
}

}  // namespace
}  // namespace plumb::analyze

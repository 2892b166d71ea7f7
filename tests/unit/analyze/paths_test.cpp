// Source paths normalized for code scanning: inside the root relative, outside absolute.
#include "plumb/analyze/paths.hpp"

#include <gtest/gtest.h>

namespace plumb::analyze {
namespace {

TEST(NormalizeSourcePath, InsideTheRootRelativeOutsideAbsolute) {
  const std::filesystem::path root = "/home/ci/cJSON";
  EXPECT_EQ(normalize_source_path("/home/ci/cJSON/tests/../cJSON.c", root), "cJSON.c");
  EXPECT_EQ(normalize_source_path("/home/ci/cJSON/./tests/parse_value.c", root), "tests/parse_value.c");
  EXPECT_EQ(normalize_source_path("/usr/include/c++/12/bits/../ext/new_allocator.h", root),
            "/usr/include/c++/12/ext/new_allocator.h");
  // A sibling whose name starts like the root is outside it.
  EXPECT_EQ(normalize_source_path("/home/ci/cJSON-old/cJSON.c", root), "/home/ci/cJSON-old/cJSON.c");
  EXPECT_EQ(normalize_source_path("/home/ci/cJSON", root), "/home/ci/cJSON");
}

TEST(NormalizeSourcePath, RelativePathsAreOnlyMadeNormal) {
  EXPECT_EQ(normalize_source_path("src/./a/../b.cpp", "/r"), "src/b.cpp");
  EXPECT_EQ(normalize_source_path("../../../../src/libsanitizer/asan/asan_malloc_linux.cpp", "/r"),
            "../../../../src/libsanitizer/asan/asan_malloc_linux.cpp");
  EXPECT_EQ(normalize_source_path("", "/r"), "");
  EXPECT_EQ(normalize_source_path("/abs/x.c", ""), "/abs/x.c");
}

TEST(NormalizeSourcePaths, EveryFrameStackAndGrowthSite) {
  core::Report report;
  core::Finding finding;
  finding.frames = {{"f", "/root/a/../b.c", 1, ""}};
  finding.related_stacks = {{{"g", "/root/c.c", 2, ""}}};
  report.findings.push_back(finding);
  core::GrowthSeries series;
  series.sites.push_back({"h", "/root/./d.c", 3, 0, 0});
  report.growth.push_back(series);
  normalize_source_paths(report, "/root");
  EXPECT_EQ(report.findings[0].frames[0].file, "b.c");
  EXPECT_EQ(report.findings[0].related_stacks[0][0].file, "c.c");
  EXPECT_EQ(report.growth[0].sites[0].file, "d.c");
}

}  // namespace
}  // namespace plumb::analyze

// The committed suppressions/ files: they parse, and the native files are the export of plumb.toml.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "plumb/analyze/baseline.hpp"
#include "plumb/analyze/suppressions.hpp"
#include "plumb/core/atomic_file.hpp"

namespace plumb::analyze {
namespace {

const std::filesystem::path kSuppressions = std::filesystem::path(PLUMB_REPO_DIR) / "suppressions";

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(RepositorySuppressions, UnifiedFileAndBaselineParse) {
  EXPECT_NO_THROW(load_suppressions(kSuppressions / "plumb.toml"));
  EXPECT_NO_THROW(load_baseline(kSuppressions / "baseline.json"));
}

// Regenerate with: PLUMB_UPDATE_NATIVE_SUPPRESSIONS=1 analyze_test --gtest_filter='RepositorySuppressions.*'
// (or `plumb suppressions export --tool T`).
TEST(RepositorySuppressions, NativeFilesAreTheExportOfTheUnifiedFile) {
  const auto set = load_suppressions(kSuppressions / "plumb.toml");
  const bool update = std::getenv("PLUMB_UPDATE_NATIVE_SUPPRESSIONS") != nullptr;
  for (const char* tool : {"valgrind", "lsan", "tsan", "ubsan"}) {
    const auto path = kSuppressions / "native" / (std::string(tool) + ".supp");
    const auto expected = export_suppressions(set, tool);
    if (update) {
      core::write_file_atomically(path, expected);
    }
    EXPECT_EQ(read(path), expected) << path << " is out of date; see the comment above this test";
  }
}

}  // namespace
}  // namespace plumb::analyze

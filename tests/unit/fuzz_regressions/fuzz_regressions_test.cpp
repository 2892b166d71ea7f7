// The fuzz targets' seed corpora and every kept crash input, run through the same entry
// functions as the libFuzzer executables: a regression of a fixed crash fails here, in CI.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "fuzz_entries.hpp"

namespace plumb::fuzz {
namespace {

const std::filesystem::path kFuzzDir = PLUMB_FUZZ_DIR;

std::vector<std::uint8_t> read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The regular files of `dir`, sorted; none when it does not exist.
std::vector<std::filesystem::path> files_in(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  if (std::filesystem::is_directory(dir)) {
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.is_regular_file() && entry.path().filename() != ".gitkeep") {
        files.push_back(entry.path());
      }
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Runs every file of `dir` through `target`; returns how many ran.
std::size_t run_all(const Target& target, const std::filesystem::path& dir) {
  std::size_t count = 0;
  for (const std::filesystem::path& file : files_in(dir)) {
    SCOPED_TRACE(file.filename().string());
    const std::vector<std::uint8_t> bytes = read_bytes(file);
    on_broken_invariant = [](const char* what) {
      throw std::logic_error(std::string("invariant broken: ") + what);
    };
    try {
      target.entry(Bytes(bytes.data(), bytes.size()));
    } catch (const std::exception& error) {
      ADD_FAILURE() << "tests/fuzz/" << dir.parent_path().filename().string() << "/" << target.name << "/"
                    << file.filename().string() << ": " << error.what();
    }
    ++count;
  }
  return count;
}

}  // namespace

// gtest prints a target by its name.
void PrintTo(const Target& target, std::ostream* out) {
  *out << target.name;
}

namespace {

class FuzzTarget : public testing::TestWithParam<Target> {};

TEST_P(FuzzTarget, SeedCorpusRunsCleanly) {
  EXPECT_GT(run_all(GetParam(), kFuzzDir / "corpus" / std::string(GetParam().name)), 0u)
      << "every fuzz target needs a seed corpus in tests/fuzz/corpus/" << GetParam().name;
}

TEST_P(FuzzTarget, KeptCrashInputsRunCleanly) {
  const std::size_t ran = run_all(GetParam(), kFuzzDir / "regressions" / std::string(GetParam().name));
  RecordProperty("inputs", static_cast<int>(ran));
}

INSTANTIATE_TEST_SUITE_P(All, FuzzTarget, testing::ValuesIn(kTargets),
                         [](const testing::TestParamInfo<Target>& case_info) {
                           return std::string(case_info.param.name);
                         });

// A folder whose name matches no target would silently never run.
TEST(FuzzLayout, EveryCorpusAndRegressionFolderNamesATarget) {
  for (const char* kind : {"corpus", "regressions"}) {
    ASSERT_TRUE(std::filesystem::is_directory(kFuzzDir / kind)) << kind;
    for (const auto& entry : std::filesystem::directory_iterator(kFuzzDir / kind)) {
      if (entry.is_directory()) {
        EXPECT_NE(find_target(entry.path().filename().string()), nullptr)
            << "tests/fuzz/" << kind << "/" << entry.path().filename().string() << " names no fuzz target";
      }
    }
  }
}

TEST(FuzzLayout, TargetNamesAreUnique) {
  for (const Target& target : kTargets) {
    EXPECT_EQ(find_target(target.name), &target) << target.name;
  }
}

}  // namespace
}  // namespace plumb::fuzz

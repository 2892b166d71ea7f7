// A set of files staged one by one and replaced together: nothing half-written is ever seen, and
// what was staged and not committed leaves no file behind.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "plumb/core/atomic_file.hpp"

namespace plumb::core {
namespace {

namespace fs = std::filesystem;

class FileSetTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "plumb-file-set-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    std::ofstream(dir_ / "a.txt") << "old a";
    std::ofstream(dir_ / "b.txt") << "old b";
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string read(const std::string& name) const {
    std::ifstream in(dir_ / name);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
  std::set<std::string> names() const {
    std::set<std::string> found;
    for (const auto& entry : fs::directory_iterator(dir_)) found.insert(entry.path().filename().string());
    return found;
  }

  fs::path dir_;
};

TEST_F(FileSetTest, NothingChangesUntilCommitAndThenEveryFileDoes) {
  FileSet set;
  set.stage(dir_ / "a.txt", "new a");
  EXPECT_EQ(read("a.txt"), "old a");  // staged beside it, not over it
  set.stage(dir_ / "b.txt", "new b");
  EXPECT_EQ(names().size(), 4U);  // the two targets and their two staged files
  set.commit();
  EXPECT_EQ(read("a.txt"), "new a");
  EXPECT_EQ(read("b.txt"), "new b");
  EXPECT_EQ(names(), (std::set<std::string>{"a.txt", "b.txt"}));
}

// What a renderer does when the second file fails to render: the first was already staged.
TEST_F(FileSetTest, AnErrorBeforeCommitRemovesWhatWasStagedAndKeepsThePreviousFiles) {
  try {
    FileSet set;
    set.stage(dir_ / "a.txt", "new a");
    throw std::runtime_error("rendering b failed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(names(), (std::set<std::string>{"a.txt", "b.txt"}));
  EXPECT_EQ(read("a.txt"), "old a");
  EXPECT_EQ(read("b.txt"), "old b");
}

}  // namespace
}  // namespace plumb::core

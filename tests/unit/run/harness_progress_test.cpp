// harness_progress: what plumb's "still running" line reads from a samples file being written.
#include "plumb/run/harness_progress.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace plumb::run {
namespace {

class HarnessProgress : public testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("plumb-progress-" + std::to_string(::getpid()) + "-" +
             testing::UnitTest::GetInstance()->current_test_info()->name() + ".jsonl");
  }
  void TearDown() override { std::filesystem::remove(path_); }
  void write(const std::string& text) { std::ofstream(path_, std::ios::binary) << text; }

  std::filesystem::path path_;
};

const char* const kMeta = R"({"type":"meta","tool":"scan_leak","iterations":10000,"warmup":1000})"
                          "\n";

TEST_F(HarnessProgress, NamesTheLastCompleteSampleAndTheEta) {
  write(std::string(kMeta) +
        R"({"type":"sample","iteration":50,"t_s":10.0})"
        "\n" +
        R"({"type":"sample","iteration":2500,"t_s":500.0})"
        "\n" +
        R"({"type":"sample","itera)");
  // 500 s for 2,500 iterations: 7,500 more take 1,500 s.
  EXPECT_EQ(harness_progress(path_), "iteration 2500/10000, 25%, ETA 25m00s");
}

TEST_F(HarnessProgress, NothingBeforeTheFirstCompleteSample) {
  EXPECT_EQ(harness_progress(path_), std::nullopt);  // no file yet
  write(kMeta);
  EXPECT_EQ(harness_progress(path_), std::nullopt);
  write(std::string(kMeta) + R"({"type":"sample","iteration":0,"t_s":0.0)");
  EXPECT_EQ(harness_progress(path_), std::nullopt);
}

TEST_F(HarnessProgress, FirstSampleHasNoEta) {
  write(std::string(kMeta) + R"({"type":"sample","iteration":0,"t_s":0.01})"
                             "\n");
  EXPECT_EQ(harness_progress(path_), "iteration 0/10000, 0%");
}

TEST_F(HarnessProgress, AFileThatIsNotSamplesSaysNothing) {
  write("==123== Memcheck, a memory error detector\n==123== more\n");
  EXPECT_EQ(harness_progress(path_), std::nullopt);
}

TEST_F(HarnessProgress, ReadsOnlyTheTailOfALongFile) {
  std::string text = kMeta;
  for (int i = 0; i <= 5000; ++i) {
    text += R"({"type":"sample","iteration":)" + std::to_string(i) + R"(,"t_s":)" + std::to_string(i) + "}\n";
  }
  write(text);
  ASSERT_GT(std::filesystem::file_size(path_), 64u * 1024u);
  EXPECT_EQ(harness_progress(path_), "iteration 5000/10000, 50%, ETA 1h23m20s");
}

}  // namespace
}  // namespace plumb::run

#pragma once
// Shared helpers of the scanner tests: datasets, result comparison, scratch directories.

#include <gtest/gtest.h>
#include <sodium.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "spectre/spectre.hpp"

namespace spectre::testing {

// Recipients plus a shuffled mix of their announcements and noise.
struct Dataset {
  std::vector<RecipientKeys> recipients;
  std::vector<Announcement> announcements;
  std::vector<std::vector<std::size_t>> expected;  // per recipient, indices of its announcements
};

// `recipient_count` recipients with `per_recipient` announcements each, plus `noise` announcements
// for strangers, in a deterministic shuffled order.
inline Dataset make_dataset(std::size_t recipient_count, std::size_t per_recipient, std::size_t noise,
                            unsigned seed = 7) {
  Dataset data;
  std::vector<std::ptrdiff_t> owners;  // -1 = noise
  for (std::size_t r = 0; r < recipient_count; ++r) {
    data.recipients.push_back(RecipientKeys::generate());
    for (std::size_t i = 0; i < per_recipient; ++i) owners.push_back(static_cast<std::ptrdiff_t>(r));
  }
  for (std::size_t i = 0; i < noise; ++i) owners.push_back(-1);
  std::mt19937 shuffle_rng(seed);
  std::shuffle(owners.begin(), owners.end(), shuffle_rng);
  const RecipientKeys stranger = RecipientKeys::generate();
  data.expected.resize(recipient_count);
  for (std::size_t i = 0; i < owners.size(); ++i) {
    const std::vector<std::uint8_t> metadata{static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(i >> 8),
                                             0x5a};
    if (owners[i] < 0) {
      data.announcements.push_back(create_announcement(stranger.meta_address(), metadata));
    } else {
      const auto r = static_cast<std::size_t>(owners[i]);
      data.announcements.push_back(create_announcement(data.recipients[r].meta_address(), metadata));
      data.expected[r].push_back(i);
    }
  }
  return data;
}

// Indices of the matches of a result.
inline std::vector<std::size_t> indices(const ScanResult& result) {
  std::vector<std::size_t> out;
  for (const Match& match : result.matches) out.push_back(match.index);
  return out;
}

// Asserts two results are identical: indices, stealth keys, secrets and every counter.
inline void expect_same_result(const ScanResult& actual, const ScanResult& expected) {
  EXPECT_EQ(actual.stats, expected.stats);
  ASSERT_EQ(actual.matches.size(), expected.matches.size());
  for (std::size_t i = 0; i < actual.matches.size(); ++i) {
    EXPECT_EQ(actual.matches[i].index, expected.matches[i].index);
    EXPECT_EQ(actual.matches[i].stealth_pub, expected.matches[i].stealth_pub);
    EXPECT_TRUE(actual.matches[i].stealth_secret.equals(expected.matches[i].stealth_secret.bytes()));
  }
}

// A fresh scratch directory removed at the end of the test.
class ScratchDir {
 public:
  ScratchDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() / ("spectre-test-" + std::to_string(::getpid()) + "-" +
                                                      info->test_suite_name() + "-" + info->name());
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace spectre::testing

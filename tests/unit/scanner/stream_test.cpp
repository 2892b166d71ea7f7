#include <gtest/gtest.h>

#include <fstream>

#include "test_support.hpp"

namespace spectre {
namespace {

using testing::expect_same_result;
using testing::make_dataset;
using testing::ScratchDir;

// Collects stream matches into a ScanResult so it can be compared with the batch scan.
ScanResult collect(const RecipientKeys& keys, AnnouncementSource& source, std::size_t chunk_size,
                   std::vector<std::vector<std::uint8_t>>* metadata = nullptr) {
  ScanResult result;
  result.stats = scan_stream(
      keys, source,
      [&](Match&& match, const Announcement& announcement) {
        EXPECT_EQ(match.stealth_pub, announcement.stealth_pub);
        if (metadata != nullptr) metadata->push_back(announcement.metadata);
        result.matches.push_back(std::move(match));
      },
      chunk_size);
  return result;
}

void append_bytes(const std::filesystem::path& path, std::span<const std::uint8_t> bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

TEST(Stream, RangeSourceMatchesBatchForEveryChunkSize) {
  const auto data = make_dataset(1, 5, 20);
  const ScanResult batch = scan_announcements(data.recipients[0], data.announcements);
  for (std::size_t chunk : {std::size_t{1}, std::size_t{7}, std::size_t{0}, std::size_t{1000}}) {
    RangeSource source(data.announcements);
    std::vector<std::vector<std::uint8_t>> metadata;
    const ScanResult streamed = collect(data.recipients[0], source, chunk, &metadata);
    expect_same_result(streamed, batch);
    ASSERT_EQ(metadata.size(), batch.matches.size());
    for (std::size_t i = 0; i < metadata.size(); ++i) {
      EXPECT_EQ(metadata[i], data.announcements[batch.matches[i].index].metadata);
    }
  }
}

TEST(Stream, FileSourceMatchesBatch) {
  ScratchDir dir;
  const auto data = make_dataset(1, 5, 20);
  write_announcement_file(dir / "ann.bin", data.announcements);
  const ScanResult batch = scan_announcements(data.recipients[0], data.announcements);
  FileSource source(dir / "ann.bin");
  expect_same_result(collect(data.recipients[0], source, 4), batch);
}

// A source that never holds more than one chunk and checks the scanner asks for chunk-sized pieces.
class GeneratingSource final : public AnnouncementSource {
 public:
  GeneratingSource(const MetaAddress& recipient, std::size_t total, std::size_t expected_chunk)
      : recipient_(recipient), total_(total), expected_chunk_(expected_chunk) {}
  bool next_chunk(std::vector<Announcement>& chunk, std::size_t max_count, ScanStats& /*stats*/) override {
    EXPECT_EQ(max_count, expected_chunk_);
    max_chunk_capacity_ = std::max(max_chunk_capacity_, chunk.capacity());
    const std::size_t count = std::min(max_count, total_ - produced_);
    chunk.resize(count);
    for (Announcement& announcement : chunk) announcement = create_announcement(recipient_);
    produced_ += count;
    return count != 0;
  }
  std::size_t max_chunk_capacity() const { return max_chunk_capacity_; }

 private:
  MetaAddress recipient_;
  std::size_t total_;
  std::size_t expected_chunk_;
  std::size_t produced_ = 0;
  std::size_t max_chunk_capacity_ = 0;
};

TEST(Stream, HoldsOneChunkAtATime) {
  const RecipientKeys keys = RecipientKeys::generate();
  GeneratingSource source(keys.meta_address(), 20, 8);
  std::size_t matches = 0;
  const ScanStats stats = scan_stream(
      keys, source, [&](Match&&, const Announcement&) { ++matches; }, 8);
  EXPECT_EQ(matches, 20u);
  EXPECT_EQ(stats.matched, 20u);
  EXPECT_LE(source.max_chunk_capacity(), 8u);
}

TEST(Stream, TruncatedFilesAreCountedNotFatal) {
  ScratchDir dir;
  const auto data = make_dataset(1, 4, 6);
  const auto path = dir / "ann.bin";
  write_announcement_file(path, data.announcements);
  const auto full_size = std::filesystem::file_size(path);
  const ScanResult batch = scan_announcements(data.recipients[0], data.announcements);
  const std::size_t last_record = 4 + encoded_size(data.announcements.back());
  for (const std::uintmax_t cut : {std::uintmax_t{1}, std::uintmax_t{3}, std::uintmax_t{last_record - 2}}) {
    write_announcement_file(path, data.announcements);
    std::filesystem::resize_file(path, full_size - cut);
    FileSource source(path);
    const ScanResult streamed = collect(data.recipients[0], source, 3);
    EXPECT_EQ(streamed.stats.truncated_stream, 1u) << "cut " << cut;
    EXPECT_EQ(streamed.stats.scanned, data.announcements.size() - 1) << "cut " << cut;
    std::size_t expected_matches = 0;
    for (const Match& match : batch.matches) expected_matches += match.index + 1 < data.announcements.size();
    EXPECT_EQ(streamed.matches.size(), expected_matches);
  }
  // Cut inside a length prefix: the last record's prefix is only half there.
  write_announcement_file(path, std::span(data.announcements).first(data.announcements.size() - 1));
  append_bytes(path, std::vector<std::uint8_t>{0x43, 0x00});
  FileSource source(path);
  const ScanResult streamed = collect(data.recipients[0], source, 3);
  EXPECT_EQ(streamed.stats.truncated_stream, 1u);
  EXPECT_EQ(streamed.stats.scanned, data.announcements.size() - 1);
}

TEST(Stream, BadHeadersAreCounted) {
  ScratchDir dir;
  const RecipientKeys keys = RecipientKeys::generate();
  const std::vector<Announcement> one{create_announcement(keys.meta_address())};
  const auto path = dir / "ann.bin";
  { std::ofstream empty(path, std::ios::binary); }
  {
    FileSource source(path);
    const ScanResult result = collect(keys, source, 4);
    EXPECT_EQ(result.stats.bad_stream_header, 1u);
    EXPECT_EQ(result.stats.scanned, 0u);
  }
  for (std::size_t byte : {std::size_t{0}, std::size_t{8}}) {  // wrong magic, wrong version
    write_announcement_file(path, one);
    std::fstream file(path, std::ios::binary | std::ios::in | std::ios::out);
    file.seekp(static_cast<std::streamoff>(byte));
    file.put('X');
    file.close();
    FileSource source(path);
    const ScanResult result = collect(keys, source, 4);
    EXPECT_EQ(result.stats.bad_stream_header, 1u);
    EXPECT_TRUE(result.matches.empty());
  }
  EXPECT_THROW(FileSource(dir / "missing.bin"), std::system_error);
}

TEST(Stream, UndecodableAndOversizedRecordsAreSkipped) {
  ScratchDir dir;
  const RecipientKeys keys = RecipientKeys::generate();
  const Announcement good = create_announcement(keys.meta_address());
  const auto path = dir / "ann.bin";
  {
    AnnouncementFileWriter writer(path);
    writer.append(good);
    writer.append_raw_record(std::vector<std::uint8_t>(10, 0xab));  // too short
    auto mismatched = encode(good);
    mismatched[65] = 9;  // wrong metadata_len
    writer.append_raw_record(mismatched);
    writer.append_raw_record(std::vector<std::uint8_t>(kMaxEncodedBytes + 100, 0));  // oversized, skipped
    writer.append(good);
    writer.close();
  }
  FileSource source(path);
  const ScanResult result = collect(keys, source, 2);
  EXPECT_EQ(result.stats.bad_length, 3u);
  EXPECT_EQ(result.stats.matched, 2u);
  EXPECT_EQ(result.stats.scanned, 5u);
  EXPECT_EQ(result.stats.truncated_stream, 0u);
  // An oversized record whose body is missing is both skipped and a truncation.
  append_bytes(path, std::vector<std::uint8_t>{0xff, 0xff, 0xff, 0x0f, 1, 2, 3});
  FileSource truncated(path);
  const ScanResult cut = collect(keys, truncated, 2);
  EXPECT_EQ(cut.stats.bad_length, 4u);
  EXPECT_EQ(cut.stats.truncated_stream, 1u);
  EXPECT_EQ(cut.stats.matched, 2u);
}

}  // namespace
}  // namespace spectre

#pragma once
// Streaming scan: announcements arrive in chunks from a source, matches leave through a sink;
// memory stays O(chunk) however long the stream.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <span>
#include <vector>

#include "spectre/announcement.hpp"
#include "spectre/keys.hpp"
#include "spectre/scan.hpp"

namespace spectre {

// Default number of announcements per chunk.
inline constexpr std::size_t kDefaultChunkSize = 256;

// File format magic: the first 8 bytes of an announcement file.
inline constexpr std::array<std::uint8_t, 8> kFileMagic{'S', 'P', 'C', 'T', 'A', 'N', 'N', '\0'};
// File format version written after the magic (u16 LE), followed by a reserved u16 (zero).
inline constexpr std::uint16_t kFileVersion = 1;
// Size of the file header: magic[8] version[u16 LE] reserved[u16 LE].
inline constexpr std::size_t kFileHeaderBytes = 12;

// A producer of announcements, chunk by chunk.
class AnnouncementSource {
 public:
  virtual ~AnnouncementSource() = default;
  // Fills `chunk` with up to `max_count` next announcements (resized, element storage reused); bad
  // records are counted in `stats` and skipped. Returns false once the stream is exhausted and
  // `chunk` is empty.
  virtual bool next_chunk(std::vector<Announcement>& chunk, std::size_t max_count, ScanStats& stats) = 0;
};

// Source over an in-memory range; copies one chunk at a time, the range must outlive the source.
class RangeSource final : public AnnouncementSource {
 public:
  // Streams `announcements` in order.
  explicit RangeSource(std::span<const Announcement> announcements) noexcept : items_(announcements) {}
  // See AnnouncementSource::next_chunk.
  bool next_chunk(std::vector<Announcement>& chunk, std::size_t max_count, ScanStats& stats) override;

 private:
  std::span<const Announcement> items_;
  std::size_t position_ = 0;
};

// Source over an announcement file (format in docs/scanner.md): header, then records of
// u32 LE length + wire form. A bad header, a truncated record or an undecodable record is counted.
class FileSource final : public AnnouncementSource {
 public:
  // Opens `path`; throws std::system_error when it cannot be opened.
  explicit FileSource(const std::filesystem::path& path);
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;
  // See AnnouncementSource::next_chunk.
  bool next_chunk(std::vector<Announcement>& chunk, std::size_t max_count, ScanStats& stats) override;

 private:
  bool read_header(ScanStats& stats);
  bool skip(std::uint64_t length);
  std::FILE* file_ = nullptr;
  bool header_checked_ = false;
  bool finished_ = false;
  std::vector<std::uint8_t> record_;  // reused record buffer, at most kMaxEncodedBytes
};

// Writes announcement files in the documented format.
class AnnouncementFileWriter {
 public:
  // Creates (truncates) `path` and writes the header; throws std::system_error on I/O failure.
  explicit AnnouncementFileWriter(const std::filesystem::path& path);
  // Closes the file (errors at this point are swallowed; call close() to see them).
  ~AnnouncementFileWriter();
  AnnouncementFileWriter(const AnnouncementFileWriter&) = delete;
  AnnouncementFileWriter& operator=(const AnnouncementFileWriter&) = delete;
  // Appends one record; throws std::system_error on I/O failure.
  void append(const Announcement& announcement);
  // Appends a raw record body (for tests of malformed input); throws std::system_error on I/O failure.
  void append_raw_record(std::span<const std::uint8_t> record_body);
  // Flushes and closes; throws std::system_error on failure.
  void close();

 private:
  std::FILE* file_ = nullptr;
  std::vector<std::uint8_t> buffer_;
};

// Writes `announcements` to `path` as an announcement file.
void write_announcement_file(const std::filesystem::path& path, std::span<const Announcement> announcements);

// Receives each match with the announcement it came from (valid only during the call).
using MatchSink = std::function<void(Match&& match, const Announcement& announcement)>;

// Scans a source chunk by chunk with one recipient's keys.
class StreamScanner {
 public:
  // Prepares a scanner; `keys` must outlive it.
  explicit StreamScanner(const RecipientKeys& keys) noexcept : keys_(&keys) {}
  // Drains `source` in chunks of `chunk_size` (0 means kDefaultChunkSize), calling `sink` per match.
  ScanStats scan(AnnouncementSource& source, const MatchSink& sink,
                 std::size_t chunk_size = kDefaultChunkSize) const;

 private:
  const RecipientKeys* keys_;
};

// Convenience for StreamScanner(keys).scan(source, sink, chunk_size).
ScanStats scan_stream(const RecipientKeys& keys, AnnouncementSource& source, const MatchSink& sink,
                      std::size_t chunk_size = kDefaultChunkSize);

}  // namespace spectre

#include "spectre/stream.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

namespace spectre {
namespace {

std::uint32_t read_u32_le(const std::uint8_t* bytes) noexcept {
  return static_cast<std::uint32_t>(bytes[0]) | (static_cast<std::uint32_t>(bytes[1]) << 8) |
         (static_cast<std::uint32_t>(bytes[2]) << 16) | (static_cast<std::uint32_t>(bytes[3]) << 24);
}

void write_u32_le(std::uint32_t value, std::uint8_t* out) noexcept {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<std::uint8_t>((value >> (8 * i)) & 0xffu);
}

[[noreturn]] void throw_io(const char* what, const std::filesystem::path& path) {
  throw std::system_error(errno != 0 ? errno : EIO, std::generic_category(),
                          std::string(what) + " " + path.string());
}

[[noreturn]] void throw_io(const char* what) {
  throw std::system_error(errno != 0 ? errno : EIO, std::generic_category(), what);
}

}  // namespace

bool RangeSource::next_chunk(std::vector<Announcement>& chunk, std::size_t max_count, ScanStats& /*stats*/) {
  const std::size_t count = std::min(max_count, items_.size() - position_);
  chunk.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    Announcement& target = chunk[i];
    const Announcement& origin = items_[position_ + i];
    target.ephemeral_pub = origin.ephemeral_pub;
    target.view_tag = origin.view_tag;
    target.stealth_pub = origin.stealth_pub;
    target.metadata.assign(origin.metadata.begin(), origin.metadata.end());  // reuses capacity
  }
  position_ += count;
  return count != 0;
}

FileSource::FileSource(const std::filesystem::path& path) {
  errno = 0;
  file_ = std::fopen(path.c_str(), "rb");
  if (file_ == nullptr) throw_io("cannot open announcement file", path);
  record_.reserve(kMaxEncodedBytes);
}

FileSource::~FileSource() {
  if (file_ != nullptr) std::fclose(file_);
}

bool FileSource::read_header(ScanStats& stats) {
  header_checked_ = true;
  std::array<std::uint8_t, kFileHeaderBytes> header{};
  const std::size_t got = std::fread(header.data(), 1, header.size(), file_);
  if (got != header.size() || std::memcmp(header.data(), kFileMagic.data(), kFileMagic.size()) != 0 ||
      header[8] != (kFileVersion & 0xffu) || header[9] != (kFileVersion >> 8)) {
    ++stats.bad_stream_header;
    return false;
  }
  return true;
}

bool FileSource::skip(std::uint64_t length) {
  record_.resize(kMaxEncodedBytes);
  while (length != 0) {
    const std::size_t step = static_cast<std::size_t>(std::min<std::uint64_t>(length, record_.size()));
    if (std::fread(record_.data(), 1, step, file_) != step) return false;
    length -= step;
  }
  return true;
}

bool FileSource::next_chunk(std::vector<Announcement>& chunk, std::size_t max_count, ScanStats& stats) {
  std::size_t filled = 0;
  if (!header_checked_ && !read_header(stats)) finished_ = true;
  while (!finished_ && filled < max_count) {
    std::array<std::uint8_t, 4> prefix{};
    const std::size_t got = std::fread(prefix.data(), 1, prefix.size(), file_);
    if (got == 0) {  // clean end of stream
      finished_ = true;
      break;
    }
    if (got != prefix.size()) {
      ++stats.truncated_stream;
      finished_ = true;
      break;
    }
    const std::uint32_t length = read_u32_le(prefix.data());
    if (length > kMaxEncodedBytes) {
      // The framing is intact, the record is not: count it and skip its body in bounded reads.
      ++stats.scanned;
      ++stats.bad_length;
      if (!skip(length)) {
        ++stats.truncated_stream;
        finished_ = true;
      }
      continue;
    }
    record_.resize(length);
    if (std::fread(record_.data(), 1, length, file_) != length) {
      ++stats.truncated_stream;
      finished_ = true;
      break;
    }
    if (chunk.size() <= filled) chunk.resize(filled + 1);
    if (decode_into(record_, chunk[filled]) != DecodeError::ok) {
      ++stats.scanned;
      ++stats.bad_length;
      continue;
    }
    ++filled;
  }
  chunk.resize(filled);
  return filled != 0;
}

AnnouncementFileWriter::AnnouncementFileWriter(const std::filesystem::path& path) {
  errno = 0;
  file_ = std::fopen(path.c_str(), "wb");
  if (file_ == nullptr) throw_io("cannot create announcement file", path);
  std::array<std::uint8_t, kFileHeaderBytes> header{};
  std::memcpy(header.data(), kFileMagic.data(), kFileMagic.size());
  header[8] = static_cast<std::uint8_t>(kFileVersion & 0xffu);
  header[9] = static_cast<std::uint8_t>(kFileVersion >> 8);
  if (std::fwrite(header.data(), 1, header.size(), file_) != header.size()) {
    std::fclose(file_);
    file_ = nullptr;
    throw_io("cannot write announcement file header", path);
  }
  buffer_.reserve(4 + kMaxEncodedBytes);
}

AnnouncementFileWriter::~AnnouncementFileWriter() {
  if (file_ != nullptr) std::fclose(file_);
}

void AnnouncementFileWriter::append(const Announcement& announcement) {
  if (file_ == nullptr) throw std::logic_error("AnnouncementFileWriter: append after close");
  buffer_.assign(4, 0);
  encode_into(announcement, buffer_);
  write_u32_le(static_cast<std::uint32_t>(buffer_.size() - 4), buffer_.data());
  errno = 0;
  if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
    throw_io("cannot write announcement record");
  }
}

void AnnouncementFileWriter::append_raw_record(std::span<const std::uint8_t> record_body) {
  if (file_ == nullptr) throw std::logic_error("AnnouncementFileWriter: append after close");
  std::array<std::uint8_t, 4> prefix{};
  write_u32_le(static_cast<std::uint32_t>(record_body.size()), prefix.data());
  errno = 0;
  if (std::fwrite(prefix.data(), 1, prefix.size(), file_) != prefix.size() ||
      std::fwrite(record_body.data(), 1, record_body.size(), file_) != record_body.size()) {
    throw_io("cannot write announcement record");
  }
}

void AnnouncementFileWriter::close() {
  if (file_ == nullptr) return;
  errno = 0;
  const int flushed = std::fflush(file_);
  const int closed = std::fclose(file_);
  file_ = nullptr;
  if (flushed != 0 || closed != 0) throw_io("cannot close announcement file");
}

void write_announcement_file(const std::filesystem::path& path, std::span<const Announcement> announcements) {
  AnnouncementFileWriter writer(path);
  for (const Announcement& announcement : announcements) writer.append(announcement);
  writer.close();
}

ScanStats StreamScanner::scan(AnnouncementSource& source, const MatchSink& sink,
                              std::size_t chunk_size) const {
  if (chunk_size == 0) chunk_size = kDefaultChunkSize;
  const Scanner scanner(*keys_);
  ScanStats stats;
  std::vector<Announcement> chunk;
  chunk.reserve(chunk_size);
  std::size_t delivered = 0;
  while (source.next_chunk(chunk, chunk_size, stats)) {
    for (const Announcement& announcement : chunk) {
      SecretBytes secret;
      const auto outcome = scanner.scan_one(announcement.ephemeral_pub, announcement.view_tag,
                                            announcement.stealth_pub, &secret);
      Scanner::count(outcome, stats);
      if (outcome == Scanner::Outcome::matched && sink) {
        sink(Match{delivered, announcement.stealth_pub, std::move(secret)}, announcement);
      }
      ++delivered;
    }
  }
  return stats;
}

ScanStats scan_stream(const RecipientKeys& keys, AnnouncementSource& source, const MatchSink& sink,
                      std::size_t chunk_size) {
  return StreamScanner(keys).scan(source, sink, chunk_size);
}

}  // namespace spectre

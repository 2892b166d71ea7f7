#include "spectre/announcement.hpp"

#include <sodium.h>

#include <cstring>
#include <stdexcept>

namespace spectre {
namespace {

constexpr char kAnnouncementIdDomain[] = "spectre/ann-id/v1";

}  // namespace

const char* to_string(DecodeError error) noexcept {
  switch (error) {
    case DecodeError::ok:
      return "ok";
    case DecodeError::too_short:
      return "too_short";
    case DecodeError::length_mismatch:
      return "length_mismatch";
    case DecodeError::metadata_too_long:
      return "metadata_too_long";
  }
  return "unknown";
}

std::size_t encoded_size(const Announcement& announcement) noexcept {
  return kEncodedHeaderBytes + announcement.metadata.size();
}

void encode_into(const Announcement& announcement, std::vector<std::uint8_t>& out) {
  const std::size_t metadata_size = announcement.metadata.size();
  if (metadata_size > kMaxMetadataBytes) throw std::length_error("announcement metadata exceeds 1024 bytes");
  const std::size_t start = out.size();
  out.resize(start + kEncodedHeaderBytes + metadata_size);
  std::uint8_t* cursor = out.data() + start;
  std::memcpy(cursor, announcement.ephemeral_pub.data(), 32);
  cursor[32] = announcement.view_tag;
  std::memcpy(cursor + 33, announcement.stealth_pub.data(), 32);
  cursor[65] = static_cast<std::uint8_t>(metadata_size & 0xffu);
  cursor[66] = static_cast<std::uint8_t>(metadata_size >> 8);
  if (metadata_size != 0)
    std::memcpy(cursor + kEncodedHeaderBytes, announcement.metadata.data(), metadata_size);
}

std::vector<std::uint8_t> encode(const Announcement& announcement) {
  std::vector<std::uint8_t> out;
  out.reserve(encoded_size(announcement));
  encode_into(announcement, out);
  return out;
}

DecodeError decode_into(std::span<const std::uint8_t> bytes, Announcement& out) {
  if (bytes.size() < kEncodedHeaderBytes) return DecodeError::too_short;
  const std::size_t metadata_size =
      static_cast<std::size_t>(bytes[65]) | (static_cast<std::size_t>(bytes[66]) << 8);
  if (metadata_size > kMaxMetadataBytes) return DecodeError::metadata_too_long;
  if (bytes.size() != kEncodedHeaderBytes + metadata_size) return DecodeError::length_mismatch;
  std::memcpy(out.ephemeral_pub.data(), bytes.data(), 32);
  out.view_tag = bytes[32];
  std::memcpy(out.stealth_pub.data(), bytes.data() + 33, 32);
  out.metadata.assign(bytes.begin() + kEncodedHeaderBytes, bytes.end());
  return DecodeError::ok;
}

DecodeError decode(std::span<const std::uint8_t> bytes, Announcement& out) {
  return decode_into(bytes, out);
}

AnnouncementId announcement_id(const Announcement& announcement) {
  AnnouncementId id{};
  std::array<std::uint8_t, kEncodedHeaderBytes> header{};
  std::memcpy(header.data(), announcement.ephemeral_pub.data(), 32);
  header[32] = announcement.view_tag;
  std::memcpy(header.data() + 33, announcement.stealth_pub.data(), 32);
  const std::size_t metadata_size = announcement.metadata.size();
  header[65] = static_cast<std::uint8_t>(metadata_size & 0xffu);
  header[66] = static_cast<std::uint8_t>((metadata_size >> 8) & 0xffu);
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, id.size());
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(kAnnouncementIdDomain),
                            sizeof(kAnnouncementIdDomain) - 1);
  crypto_generichash_update(&state, header.data(), header.size());
  crypto_generichash_update(&state, announcement.metadata.data(), metadata_size);
  crypto_generichash_final(&state, id.data(), id.size());
  return id;
}

}  // namespace spectre

#pragma once
// Announcements: what a sender publishes per payment, and their wire encoding.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "spectre/keys.hpp"

namespace spectre {

// Largest metadata payload an announcement may carry, in bytes.
inline constexpr std::size_t kMaxMetadataBytes = 1024;
// Fixed part of the wire form: ephemeral_pub[32] view_tag[1] stealth_pub[32] metadata_len[u16 LE].
inline constexpr std::size_t kEncodedHeaderBytes = 32 + 1 + 32 + 2;
// Largest valid wire form.
inline constexpr std::size_t kMaxEncodedBytes = kEncodedHeaderBytes + kMaxMetadataBytes;

// A 32-byte announcement identifier (see announcement_id).
using AnnouncementId = std::array<std::uint8_t, 32>;

// One published announcement.
struct Announcement {
  PublicKey ephemeral_pub{};           // sender's X25519 ephemeral public key
  std::uint8_t view_tag = 0;           // first byte of the shared scalar h
  PublicKey stealth_pub{};             // spend_pub + h·G (Ed25519)
  std::vector<std::uint8_t> metadata;  // opaque payload, at most kMaxMetadataBytes

  // Field-wise equality.
  bool operator==(const Announcement&) const = default;
};

// Why a wire form failed to decode.
enum class DecodeError : std::uint8_t {
  ok = 0,
  too_short,          // fewer bytes than the fixed header
  length_mismatch,    // metadata_len disagrees with the bytes present
  metadata_too_long,  // metadata_len > kMaxMetadataBytes
};

// Human-readable name of a decode error ("ok", "too_short", ...).
const char* to_string(DecodeError error) noexcept;

// Size of the wire form of `announcement`.
std::size_t encoded_size(const Announcement& announcement) noexcept;
// Encodes to the wire form; throws std::length_error when metadata exceeds kMaxMetadataBytes.
std::vector<std::uint8_t> encode(const Announcement& announcement);
// Appends the wire form to `out` (reuses its capacity); throws like encode().
void encode_into(const Announcement& announcement, std::vector<std::uint8_t>& out);
// Decodes a wire form into `out`, reusing out.metadata's capacity; `out` is unspecified on error.
DecodeError decode_into(std::span<const std::uint8_t> bytes, Announcement& out);
// Decodes a wire form; the announcement is meaningful only when the error is DecodeError::ok.
DecodeError decode(std::span<const std::uint8_t> bytes, Announcement& out);

// BLAKE2b-256("spectre/ann-id/v1" || wire form): identifies an announcement's full content.
AnnouncementId announcement_id(const Announcement& announcement);

}  // namespace spectre

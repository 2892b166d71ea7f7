#pragma once
// Batch scanning: find the announcements addressed to one recipient and derive their stealth secrets.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "spectre/announcement.hpp"
#include "spectre/keys.hpp"

namespace spectre {

// One announcement addressed to the scanning recipient.
struct Match {
  std::size_t index = 0;    // position of the announcement in the scanned input (stream: ordinal delivered)
  PublicKey stealth_pub{};  // the announced stealth public key (verified: equals stealth_secret·G)
  SecretBytes stealth_secret;  // 32-byte Ed25519 scalar spend_scalar + h mod L; sign with sign_with_scalar
};

// Counters of one scan; scanned == tag_rejected + tag_false_positive + matched + every bad-input counter.
struct ScanStats {
  std::uint64_t scanned = 0;                // announcements (or records) examined, bad ones included
  std::uint64_t tag_rejected = 0;           // view tag differed: rejected after one X25519 + one hash
  std::uint64_t tag_false_positive = 0;     // view tag matched by chance but the stealth key did not
  std::uint64_t matched = 0;                // addressed to us
  std::uint64_t bad_length = 0;             // wire form of a wrong length (decode error) or oversized record
  std::uint64_t noncanonical_point = 0;     // ephemeral_pub not a canonical X25519 u-coordinate
  std::uint64_t small_order_point = 0;      // ephemeral_pub of small order (X25519 output all zero)
  std::uint64_t invalid_stealth_point = 0;  // tag matched but stealth_pub is not a valid Ed25519 point
  std::uint64_t truncated_stream = 0;       // a stream ended inside a record (stream-level, not in `scanned`)
  std::uint64_t bad_stream_header = 0;  // a stream had a wrong magic/version (stream-level, not in `scanned`)

  // Sum of the per-record bad-input counters.
  std::uint64_t bad_input() const noexcept {
    return bad_length + noncanonical_point + small_order_point + invalid_stealth_point;
  }
  // Adds every counter of `other`.
  ScanStats& operator+=(const ScanStats& other) noexcept;
  // Counter-wise equality.
  bool operator==(const ScanStats&) const = default;
};

// Result of a scan: matches in input order, and the counters.
struct ScanResult {
  std::vector<Match> matches;
  ScanStats stats;
};

// Scans `announcements` with `keys`; keeps no reference to, or copy of, the input after returning.
ScanResult scan_announcements(const RecipientKeys& keys, std::span<const Announcement> announcements);

// Scans wire-encoded announcements; undecodable ones are counted (bad_length) and skipped.
ScanResult scan_encoded(const RecipientKeys& keys, std::span<const std::vector<std::uint8_t>> encoded);

// Reusable single-announcement scanner: holds the precomputed per-key state (no allocation per call).
class Scanner {
 public:
  // What happened to one announcement.
  enum class Outcome : std::uint8_t {
    tag_rejected = 1,
    tag_false_positive = 2,
    matched = 3,
    noncanonical_point = 4,
    small_order_point = 5,
    invalid_stealth_point = 6,
  };

  // Prepares a scanner for `keys`; `keys` must outlive it.
  explicit Scanner(const RecipientKeys& keys);
  // Scans one announcement; on Outcome::matched, `stealth_secret` (when non-null) receives the secret.
  Outcome scan_one(const PublicKey& ephemeral_pub, std::uint8_t view_tag, const PublicKey& stealth_pub,
                   SecretBytes* stealth_secret) const;
  // Increments the counter of `stats` that corresponds to `outcome` (and `scanned`).
  static void count(Outcome outcome, ScanStats& stats) noexcept;

 private:
  const RecipientKeys* keys_;
};

}  // namespace spectre

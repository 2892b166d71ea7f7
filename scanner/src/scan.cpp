#include "spectre/scan.hpp"

#include <sodium.h>

#include <cstring>

#include "protocol.hpp"

namespace spectre {

ScanStats& ScanStats::operator+=(const ScanStats& other) noexcept {
  scanned += other.scanned;
  tag_rejected += other.tag_rejected;
  tag_false_positive += other.tag_false_positive;
  matched += other.matched;
  bad_length += other.bad_length;
  noncanonical_point += other.noncanonical_point;
  small_order_point += other.small_order_point;
  invalid_stealth_point += other.invalid_stealth_point;
  truncated_stream += other.truncated_stream;
  bad_stream_header += other.bad_stream_header;
  return *this;
}

Scanner::Scanner(const RecipientKeys& keys) : keys_(&keys) {
  ensure_sodium();
}

// The hot path: one canonicity check, one X25519, one BLAKE2b, one reduction and a tag compare;
// only a tag match pays for the Ed25519 work. No heap allocation unless it is a real match.
Scanner::Outcome Scanner::scan_one(const PublicKey& ephemeral_pub, std::uint8_t view_tag,
                                   const PublicKey& stealth_pub, SecretBytes* stealth_secret) const {
  if (!detail::is_canonical_u(ephemeral_pub.data())) return Outcome::noncanonical_point;
  detail::HashInput input(keys_->view().public_key);
  if (crypto_scalarmult(input.shared(), keys_->view().secret_key.data(), ephemeral_pub.data()) != 0) {
    input.wipe_shared();
    return Outcome::small_order_point;
  }
  std::memcpy(input.ephemeral(), ephemeral_pub.data(), kKeyBytes);
  std::array<std::uint8_t, 32> h;
  detail::derive_scalar(input, h.data());
  input.wipe_shared();

  Outcome outcome = Outcome::matched;
  if (h[0] != view_tag) {
    outcome = Outcome::tag_rejected;
  } else {
    // s = b + h and s·G = B + h·G: one fixed-base multiplication checks the announced key (no
    // point addition), and s is the stealth secret if it matches. s·G is a valid point in canonical
    // encoding, so equal bytes also prove stealth_pub valid; only a mismatch pays for the
    // (expensive) validity check, to classify it.
    std::array<std::uint8_t, 32> candidate;
    std::array<std::uint8_t, 32> expected{};
    crypto_core_ed25519_scalar_add(candidate.data(), keys_->spend().scalar.data(), h.data());
    if (crypto_scalarmult_ed25519_base_noclamp(expected.data(), candidate.data()) != 0 ||
        sodium_memcmp(expected.data(), stealth_pub.data(), kKeyBytes) != 0) {
      outcome = crypto_core_ed25519_is_valid_point(stealth_pub.data()) == 1 ? Outcome::tag_false_positive
                                                                            : Outcome::invalid_stealth_point;
    } else if (stealth_secret != nullptr) {
      try {
        *stealth_secret = SecretBytes::copy_of(candidate);
      } catch (...) {  // std::bad_alloc: leave no secret behind on the stack
        sodium_memzero(candidate.data(), candidate.size());
        sodium_memzero(h.data(), h.size());
        throw;
      }
    }
    sodium_memzero(candidate.data(), candidate.size());
  }
  sodium_memzero(h.data(), h.size());
  return outcome;
}

void Scanner::count(Outcome outcome, ScanStats& stats) noexcept {
  ++stats.scanned;
  switch (outcome) {
    case Outcome::tag_rejected:
      ++stats.tag_rejected;
      break;
    case Outcome::tag_false_positive:
      ++stats.tag_false_positive;
      break;
    case Outcome::matched:
      ++stats.matched;
      break;
    case Outcome::noncanonical_point:
      ++stats.noncanonical_point;
      break;
    case Outcome::small_order_point:
      ++stats.small_order_point;
      break;
    case Outcome::invalid_stealth_point:
      ++stats.invalid_stealth_point;
      break;
  }
}

ScanResult scan_announcements(const RecipientKeys& keys, std::span<const Announcement> announcements) {
  const Scanner scanner(keys);
  ScanResult result;
  for (std::size_t i = 0; i < announcements.size(); ++i) {
    const Announcement& announcement = announcements[i];
    SecretBytes secret;
    const auto outcome = scanner.scan_one(announcement.ephemeral_pub, announcement.view_tag,
                                          announcement.stealth_pub, &secret);
    Scanner::count(outcome, result.stats);
    if (outcome == Scanner::Outcome::matched) {
      result.matches.push_back(Match{i, announcement.stealth_pub, std::move(secret)});
    }
  }
  return result;
}

ScanResult scan_encoded(const RecipientKeys& keys, std::span<const std::vector<std::uint8_t>> encoded) {
  const Scanner scanner(keys);
  ScanResult result;
  PublicKey ephemeral_pub;
  PublicKey stealth_pub;
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    const std::vector<std::uint8_t>& bytes = encoded[i];
    if (bytes.size() < kEncodedHeaderBytes ||
        bytes.size() != kEncodedHeaderBytes + (static_cast<std::size_t>(bytes[65]) |
                                               (static_cast<std::size_t>(bytes[66]) << 8)) ||
        bytes.size() > kMaxEncodedBytes) {
      ++result.stats.scanned;
      ++result.stats.bad_length;
      continue;
    }
    std::memcpy(ephemeral_pub.data(), bytes.data(), kKeyBytes);
    std::memcpy(stealth_pub.data(), bytes.data() + 33, kKeyBytes);
    SecretBytes secret;
    const auto outcome = scanner.scan_one(ephemeral_pub, bytes[32], stealth_pub, &secret);
    Scanner::count(outcome, result.stats);
    if (outcome == Scanner::Outcome::matched) {
      result.matches.push_back(Match{i, stealth_pub, std::move(secret)});
    }
  }
  return result;
}

}  // namespace spectre

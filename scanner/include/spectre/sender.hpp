#pragma once
// Sender side: making an announcement that pays a recipient's meta-address.

#include <cstdint>
#include <span>

#include "spectre/announcement.hpp"
#include "spectre/keys.hpp"

namespace spectre {

// Creates an announcement for `recipient` with a fresh ephemeral key. Throws std::invalid_argument
// when metadata exceeds kMaxMetadataBytes or the recipient's keys are invalid (small-order view key).
// When `ephemeral_secret_out` is non-null it receives the ephemeral secret (tests only; wipe it).
Announcement create_announcement(const MetaAddress& recipient, std::span<const std::uint8_t> metadata = {},
                                 SecretBytes* ephemeral_secret_out = nullptr);

}  // namespace spectre

#include "spectre/sender.hpp"

#include <sodium.h>

#include <cstring>
#include <stdexcept>
#include <utility>

#include "protocol.hpp"

namespace spectre {

Announcement create_announcement(const MetaAddress& recipient, std::span<const std::uint8_t> metadata,
                                 SecretBytes* ephemeral_secret_out) {
  ensure_sodium();
  if (metadata.size() > kMaxMetadataBytes) {
    throw std::invalid_argument("create_announcement: metadata exceeds 1024 bytes");
  }
  if (crypto_core_ed25519_is_valid_point(recipient.spend_pub.data()) != 1) {
    throw std::invalid_argument("create_announcement: the spend public key is not a valid point");
  }
  Announcement announcement;
  SecretBytes ephemeral_secret(crypto_scalarmult_SCALARBYTES);
  crypto_box_keypair(announcement.ephemeral_pub.data(), ephemeral_secret.data());

  detail::HashInput input(recipient.view_pub);
  if (crypto_scalarmult(input.shared(), ephemeral_secret.data(), recipient.view_pub.data()) != 0) {
    input.wipe_shared();
    throw std::invalid_argument("create_announcement: the view public key has small order");
  }
  std::memcpy(input.ephemeral(), announcement.ephemeral_pub.data(), kKeyBytes);
  SecretBytes h(crypto_core_ed25519_SCALARBYTES);
  detail::derive_scalar(input, h.data());
  input.wipe_shared();

  announcement.view_tag = h.data()[0];
  std::array<std::uint8_t, 32> offset{};
  if (crypto_scalarmult_ed25519_base_noclamp(offset.data(), h.data()) != 0 ||
      crypto_core_ed25519_add(announcement.stealth_pub.data(), recipient.spend_pub.data(), offset.data()) !=
          0) {
    throw std::runtime_error("create_announcement: degenerate shared scalar");  // probability ~2^-252
  }
  announcement.metadata.assign(metadata.begin(), metadata.end());
  if (ephemeral_secret_out != nullptr) *ephemeral_secret_out = std::move(ephemeral_secret);
  return announcement;
}

}  // namespace spectre

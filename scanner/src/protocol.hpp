#pragma once
// Internal: the shared-secret derivation both the sender and the scanner run.

#include <sodium.h>

#include <array>
#include <cstdint>
#include <cstring>

#include "spectre/keys.hpp"

namespace spectre::detail {

// Domain separator hashed first: "spectre/v1".
inline constexpr char kProtocolDomain[] = "spectre/v1";
inline constexpr std::size_t kDomainBytes = sizeof(kProtocolDomain) - 1;
// Hash input: domain || shared || ephemeral_pub || view_pub (106 bytes: one BLAKE2b block).
inline constexpr std::size_t kHashInputBytes = kDomainBytes + 3 * kKeyBytes;

// Reusable hash input with the per-recipient parts (domain, view_pub) filled in once.
struct HashInput {
  std::array<std::uint8_t, kHashInputBytes> bytes{};

  explicit HashInput(const PublicKey& view_pub) noexcept {
    std::memcpy(bytes.data(), kProtocolDomain, kDomainBytes);
    std::memcpy(bytes.data() + kDomainBytes + 2 * kKeyBytes, view_pub.data(), kKeyBytes);
  }
  std::uint8_t* shared() noexcept { return bytes.data() + kDomainBytes; }
  std::uint8_t* ephemeral() noexcept { return bytes.data() + kDomainBytes + kKeyBytes; }
  // Wipes the shared secret part.
  void wipe_shared() noexcept { sodium_memzero(shared(), kKeyBytes); }
};

// h = BLAKE2b-512(input) reduced mod L into `scalar`.
inline void derive_scalar(const HashInput& input, std::uint8_t* scalar) noexcept {
  std::array<std::uint8_t, 64> wide;
  crypto_generichash(wide.data(), wide.size(), input.bytes.data(), input.bytes.size(), nullptr, 0);
  crypto_core_ed25519_scalar_reduce(scalar, wide.data());
  sodium_memzero(wide.data(), wide.size());
}

// True when `u` is a canonical X25519 u-coordinate: top bit clear and u < 2^255 - 19.
inline bool is_canonical_u(const std::uint8_t* u) noexcept {
  if ((u[31] & 0x80u) != 0) return false;
  if (u[31] != 0x7fu) return true;
  for (int i = 30; i >= 1; --i) {
    if (u[i] != 0xffu) return true;
  }
  return u[0] < 0xedu;
}

}  // namespace spectre::detail

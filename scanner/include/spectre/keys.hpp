#pragma once
// Recipient key material: secrets live in sodium_malloc'd memory and are wiped on destruction.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace spectre {

// Size of an X25519 or Ed25519 public key, a scalar and an id, in bytes.
inline constexpr std::size_t kKeyBytes = 32;
// Size of an Ed25519 signature in bytes.
inline constexpr std::size_t kSignatureBytes = 64;

// A public key (X25519 u-coordinate or compressed Ed25519 point).
using PublicKey = std::array<std::uint8_t, kKeyBytes>;
// A stable 32-byte identifier of a recipient's keys, used as half of the cache key.
using KeyId = std::array<std::uint8_t, kKeyBytes>;
// A detached Ed25519 signature.
using Signature = std::array<std::uint8_t, kSignatureBytes>;

// Initialises libsodium once (thread-safe, idempotent); every SDK entry point calls it.
void ensure_sodium();

// Owning buffer of secret bytes in guarded sodium_malloc memory, zeroed and freed on destruction.
// Non-copyable and deliberately not printable: there is no operator<<.
class SecretBytes {
 public:
  // An empty buffer that owns nothing.
  SecretBytes() noexcept = default;
  // Allocates `size` zeroed secret bytes; throws std::bad_alloc when sodium_malloc fails.
  explicit SecretBytes(std::size_t size);
  // Allocates a secret buffer holding a copy of `bytes`.
  static SecretBytes copy_of(std::span<const std::uint8_t> bytes);
  // Wipes (sodium_memzero) and frees the buffer.
  ~SecretBytes();
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  // Moves ownership; the source is left empty.
  SecretBytes(SecretBytes&& other) noexcept;
  // Releases the current buffer, then takes ownership of `other`'s.
  SecretBytes& operator=(SecretBytes&& other) noexcept;

  // Pointer to the secret bytes (nullptr when empty).
  std::uint8_t* data() noexcept { return data_; }
  // Read-only pointer to the secret bytes (nullptr when empty).
  const std::uint8_t* data() const noexcept { return data_; }
  // Number of secret bytes held.
  std::size_t size() const noexcept { return size_; }
  // True when no buffer is owned.
  bool empty() const noexcept { return size_ == 0; }
  // Read-only view of the secret bytes.
  std::span<const std::uint8_t> bytes() const noexcept { return {data_, size_}; }
  // Constant-time comparison of contents (sizes must match for equality).
  bool equals(std::span<const std::uint8_t> other) const noexcept;

 private:
  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

// X25519 view key pair: the view secret finds announcements, it cannot spend.
struct ViewKeyPair {
  PublicKey public_key{};
  SecretBytes secret_key;  // 32-byte X25519 secret
};

// Ed25519 spend key pair kept as a raw scalar (not a seed) so stealth secrets can be derived from it.
struct SpendKeyPair {
  PublicKey public_key{};  // spend_scalar·G
  SecretBytes scalar;      // 32-byte canonical scalar, little-endian, < L
};

// The public meta-address a sender needs: the view and spend public keys.
struct MetaAddress {
  PublicKey view_pub{};
  PublicKey spend_pub{};

  // Size of the serialized form: 4-byte magic "SPM1", view_pub, spend_pub.
  static constexpr std::size_t kSerializedBytes = 4 + 2 * kKeyBytes;
  // Serializes to "SPM1" || view_pub || spend_pub.
  std::array<std::uint8_t, kSerializedBytes> serialize() const;
  // Parses the serialized form; nullopt on wrong length, magic or an invalid spend point.
  static std::optional<MetaAddress> parse(std::span<const std::uint8_t> bytes);
  // Equality of both public keys.
  bool operator==(const MetaAddress&) const = default;
};

// A recipient's full key set: view pair plus spend pair.
class RecipientKeys {
 public:
  // Size of the serialized (secret!) form: 4-byte magic "SPK1", view secret, spend scalar.
  static constexpr std::size_t kSerializedBytes = 4 + 2 * kKeyBytes;

  // Generates fresh random view and spend key pairs.
  static RecipientKeys generate();
  // Serializes both secrets into secret memory ("SPK1" || view_secret || spend_scalar).
  SecretBytes serialize() const;
  // Loads a serialized key set; nullopt on wrong length, magic, or a non-canonical/zero scalar.
  static std::optional<RecipientKeys> load(std::span<const std::uint8_t> bytes);

  // The view key pair.
  const ViewKeyPair& view() const noexcept { return view_; }
  // The spend key pair.
  const SpendKeyPair& spend() const noexcept { return spend_; }
  // The public meta-address senders pay to.
  MetaAddress meta_address() const { return {view_.public_key, spend_.public_key}; }
  // Stable id of these keys (see key_id(const MetaAddress&)).
  KeyId id() const;

 private:
  RecipientKeys(ViewKeyPair view, SpendKeyPair spend) noexcept;
  ViewKeyPair view_;
  SpendKeyPair spend_;
};

// Stable id: BLAKE2b-256("spectre/key-id/v1" || view_pub || spend_pub); public, safe to store.
KeyId key_id(const MetaAddress& address);

// Signs `message` with a raw Ed25519 scalar (e.g. a stealth secret) whose public key is `public_key`;
// the signature verifies with libsodium's standard crypto_sign_verify_detached. Throws
// std::invalid_argument when the scalar is not 32 bytes.
Signature sign_with_scalar(const SecretBytes& scalar, const PublicKey& public_key,
                           std::span<const std::uint8_t> message);

// Verifies a detached signature with libsodium's standard Ed25519 verifier.
bool verify_signature(const PublicKey& public_key, std::span<const std::uint8_t> message,
                      const Signature& signature);

}  // namespace spectre

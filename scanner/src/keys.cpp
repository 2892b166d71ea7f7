#include "spectre/keys.hpp"

#include <sodium.h>

#include <array>
#include <cstring>
#include <mutex>
#include <new>
#include <stdexcept>
#include <utility>

namespace spectre {
namespace {

constexpr std::array<std::uint8_t, 4> kKeysMagic{'S', 'P', 'K', '1'};
constexpr std::array<std::uint8_t, 4> kAddressMagic{'S', 'P', 'M', '1'};
constexpr char kKeyIdDomain[] = "spectre/key-id/v1";
constexpr char kNonceDomain[] = "spectre/nonce/v1";

// A canonical scalar is < L: reducing its 64-byte zero extension leaves it unchanged.
// Wipes a stack buffer that held secret bytes when it goes out of scope, however the scope ends.
class WipeOnExit {
 public:
  WipeOnExit(void* data, std::size_t size) : data_(data), size_(size) {}
  ~WipeOnExit() { sodium_memzero(data_, size_); }
  WipeOnExit(const WipeOnExit&) = delete;
  WipeOnExit& operator=(const WipeOnExit&) = delete;

 private:
  void* data_;
  std::size_t size_;
};

bool is_canonical_nonzero_scalar(const std::uint8_t* scalar) {
  std::array<std::uint8_t, 64> wide{};
  const WipeOnExit wipe_wide(wide.data(), wide.size());
  std::memcpy(wide.data(), scalar, 32);
  std::array<std::uint8_t, 32> reduced{};
  const WipeOnExit wipe_reduced(reduced.data(), reduced.size());
  crypto_core_ed25519_scalar_reduce(reduced.data(), wide.data());
  const bool canonical = sodium_memcmp(reduced.data(), scalar, 32) == 0;
  return canonical && sodium_is_zero(scalar, 32) == 0;
}

// Released secret buffers kept for reuse by the thread that released them: sodium_malloc maps
// guard pages and locks memory on every call (tens of microseconds), which a warm cached rescan,
// handing out the stealth secret of every match, paid once per match. A kept buffer is still
// sodium memory (guard pages, canary, locked) and is wiped before it is kept; at most kKept per
// thread, all freed when the thread ends (after which nothing more is kept).
constexpr std::size_t kKept = 16;

struct KeptBuffer {
  std::uint8_t* data;
  std::size_t size;
};

// Trivially destructible, so it can be reached while the thread's other objects are destroyed.
struct SecretBufferPool {
  KeptBuffer buffers[kKept];
  std::size_t count;
  bool closed;
};
thread_local SecretBufferPool secret_buffers{};

// Frees the kept buffers when the thread ends and closes the pool.
struct SecretBufferPoolCloser {
  ~SecretBufferPoolCloser() {
    for (std::size_t i = 0; i < secret_buffers.count; ++i) sodium_free(secret_buffers.buffers[i].data);
    secret_buffers.count = 0;
    secret_buffers.closed = true;
  }
};

// A wiped kept buffer of exactly `size` bytes, or nullptr.
std::uint8_t* take_secret_buffer(std::size_t size) noexcept {
  auto& pool = secret_buffers;
  for (std::size_t i = pool.count; i-- > 0;) {
    if (pool.buffers[i].size == size) {
      std::uint8_t* data = pool.buffers[i].data;
      pool.buffers[i] = pool.buffers[--pool.count];
      return data;
    }
  }
  return nullptr;
}

// Keeps wiped `data` of `size` bytes for reuse; false when the pool is full or closed.
bool keep_secret_buffer(std::uint8_t* data, std::size_t size) noexcept {
  auto& pool = secret_buffers;
  if (pool.closed || pool.count == kKept) return false;
  thread_local SecretBufferPoolCloser closer;  // Constructed with the first kept buffer.
  pool.buffers[pool.count++] = {data, size};
  return true;
}

}  // namespace

void ensure_sodium() {
  static const int result = sodium_init();
  if (result < 0) throw std::runtime_error("libsodium failed to initialise");
}

SecretBytes::SecretBytes(std::size_t size) {
  ensure_sodium();
  if (size == 0) return;
  data_ = take_secret_buffer(size);
  if (data_ == nullptr) {
    data_ = static_cast<std::uint8_t*>(sodium_malloc(size));
    if (data_ == nullptr) throw std::bad_alloc();
    sodium_memzero(data_, size);
  }
  size_ = size;
}

SecretBytes SecretBytes::copy_of(std::span<const std::uint8_t> bytes) {
  SecretBytes secret(bytes.size());
  if (!bytes.empty()) std::memcpy(secret.data_, bytes.data(), bytes.size());
  return secret;
}

SecretBytes::~SecretBytes() {
  if (data_ != nullptr) {
    sodium_memzero(data_, size_);
    if (!keep_secret_buffer(data_, size_)) sodium_free(data_);
  }
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    SecretBytes released(std::move(*this));
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

bool SecretBytes::equals(std::span<const std::uint8_t> other) const noexcept {
  if (other.size() != size_) return false;
  if (size_ == 0) return true;
  return sodium_memcmp(data_, other.data(), size_) == 0;
}

std::array<std::uint8_t, MetaAddress::kSerializedBytes> MetaAddress::serialize() const {
  std::array<std::uint8_t, kSerializedBytes> out{};
  std::memcpy(out.data(), kAddressMagic.data(), kAddressMagic.size());
  std::memcpy(out.data() + 4, view_pub.data(), kKeyBytes);
  std::memcpy(out.data() + 4 + kKeyBytes, spend_pub.data(), kKeyBytes);
  return out;
}

std::optional<MetaAddress> MetaAddress::parse(std::span<const std::uint8_t> bytes) {
  ensure_sodium();
  if (bytes.size() != kSerializedBytes) return std::nullopt;
  if (std::memcmp(bytes.data(), kAddressMagic.data(), kAddressMagic.size()) != 0) return std::nullopt;
  MetaAddress address;
  std::memcpy(address.view_pub.data(), bytes.data() + 4, kKeyBytes);
  std::memcpy(address.spend_pub.data(), bytes.data() + 4 + kKeyBytes, kKeyBytes);
  if (crypto_core_ed25519_is_valid_point(address.spend_pub.data()) != 1) return std::nullopt;
  return address;
}

RecipientKeys::RecipientKeys(ViewKeyPair view, SpendKeyPair spend) noexcept
    : view_(std::move(view)), spend_(std::move(spend)) {}

RecipientKeys RecipientKeys::generate() {
  ensure_sodium();
  ViewKeyPair view{{}, SecretBytes(crypto_scalarmult_SCALARBYTES)};
  crypto_box_keypair(view.public_key.data(), view.secret_key.data());
  SpendKeyPair spend{{}, SecretBytes(crypto_core_ed25519_SCALARBYTES)};
  do {
    crypto_core_ed25519_scalar_random(spend.scalar.data());
  } while (crypto_scalarmult_ed25519_base_noclamp(spend.public_key.data(), spend.scalar.data()) != 0);
  return RecipientKeys(std::move(view), std::move(spend));
}

SecretBytes RecipientKeys::serialize() const {
  SecretBytes out(kSerializedBytes);
  std::memcpy(out.data(), kKeysMagic.data(), kKeysMagic.size());
  std::memcpy(out.data() + 4, view_.secret_key.data(), kKeyBytes);
  std::memcpy(out.data() + 4 + kKeyBytes, spend_.scalar.data(), kKeyBytes);
  return out;
}

std::optional<RecipientKeys> RecipientKeys::load(std::span<const std::uint8_t> bytes) {
  ensure_sodium();
  if (bytes.size() != kSerializedBytes) return std::nullopt;
  if (std::memcmp(bytes.data(), kKeysMagic.data(), kKeysMagic.size()) != 0) return std::nullopt;
  ViewKeyPair view{{}, SecretBytes::copy_of(bytes.subspan(4, kKeyBytes))};
  if (crypto_scalarmult_base(view.public_key.data(), view.secret_key.data()) != 0) return std::nullopt;
  SpendKeyPair spend{{}, SecretBytes::copy_of(bytes.subspan(4 + kKeyBytes, kKeyBytes))};
  if (!is_canonical_nonzero_scalar(spend.scalar.data())) return std::nullopt;
  if (crypto_scalarmult_ed25519_base_noclamp(spend.public_key.data(), spend.scalar.data()) != 0) {
    return std::nullopt;
  }
  return RecipientKeys(std::move(view), std::move(spend));
}

KeyId RecipientKeys::id() const {
  return key_id(meta_address());
}

KeyId key_id(const MetaAddress& address) {
  ensure_sodium();
  KeyId id{};
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, id.size());
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(kKeyIdDomain),
                            sizeof(kKeyIdDomain) - 1);
  crypto_generichash_update(&state, address.view_pub.data(), address.view_pub.size());
  crypto_generichash_update(&state, address.spend_pub.data(), address.spend_pub.size());
  crypto_generichash_final(&state, id.data(), id.size());
  return id;
}

// RFC 8032 signing with a raw scalar a (instead of a seed-expanded one): the nonce key is derived
// from the scalar under a domain separator, r = H(nonce_key || M), R = r·G, k = H(R || A || M),
// S = r + k·a mod L. The result is a standard Ed25519 signature under A = a·G.
Signature sign_with_scalar(const SecretBytes& scalar, const PublicKey& public_key,
                           std::span<const std::uint8_t> message) {
  ensure_sodium();
  if (scalar.size() != crypto_core_ed25519_SCALARBYTES) {
    throw std::invalid_argument("sign_with_scalar: the scalar must be 32 bytes");
  }
  SecretBytes nonce_key(crypto_hash_sha512_BYTES);
  crypto_hash_sha512_state state;
  // The hash state absorbs the scalar and the nonce key: wiped on every way out, the throw included.
  const WipeOnExit wipe_state(&state, sizeof state);
  crypto_hash_sha512_init(&state);
  crypto_hash_sha512_update(&state, reinterpret_cast<const unsigned char*>(kNonceDomain),
                            sizeof(kNonceDomain) - 1);
  crypto_hash_sha512_update(&state, scalar.data(), scalar.size());
  crypto_hash_sha512_final(&state, nonce_key.data());

  SecretBytes nonce_wide(crypto_hash_sha512_BYTES);
  crypto_hash_sha512_init(&state);
  crypto_hash_sha512_update(&state, nonce_key.data(), 32);
  crypto_hash_sha512_update(&state, message.data(), message.size());
  crypto_hash_sha512_final(&state, nonce_wide.data());
  SecretBytes nonce(crypto_core_ed25519_SCALARBYTES);
  crypto_core_ed25519_scalar_reduce(nonce.data(), nonce_wide.data());

  Signature signature{};
  if (crypto_scalarmult_ed25519_base_noclamp(signature.data(), nonce.data()) != 0) {
    throw std::runtime_error("sign_with_scalar: degenerate nonce");  // probability 2^-252
  }
  std::array<std::uint8_t, crypto_hash_sha512_BYTES> challenge_wide{};
  crypto_hash_sha512_init(&state);
  crypto_hash_sha512_update(&state, signature.data(), 32);
  crypto_hash_sha512_update(&state, public_key.data(), public_key.size());
  crypto_hash_sha512_update(&state, message.data(), message.size());
  crypto_hash_sha512_final(&state, challenge_wide.data());
  std::array<std::uint8_t, 32> challenge{};
  crypto_core_ed25519_scalar_reduce(challenge.data(), challenge_wide.data());

  SecretBytes product(crypto_core_ed25519_SCALARBYTES);
  crypto_core_ed25519_scalar_mul(product.data(), challenge.data(), scalar.data());
  crypto_core_ed25519_scalar_add(signature.data() + 32, nonce.data(), product.data());
  return signature;
}

bool verify_signature(const PublicKey& public_key, std::span<const std::uint8_t> message,
                      const Signature& signature) {
  ensure_sodium();
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(), public_key.data()) ==
         0;
}

}  // namespace spectre

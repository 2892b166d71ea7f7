#include <gtest/gtest.h>
#include <sodium.h>

#include <cstring>
#include <ostream>
#include <vector>
#include <type_traits>

#include "test_support.hpp"

namespace spectre {
namespace {

// Secrets must not be printable or copyable: these are compile-time properties of the type.
template <typename T>
concept Streamable = requires(std::ostream& out, const T& value) {
  out << value;
};
static_assert(!Streamable<SecretBytes>);
static_assert(!std::is_copy_constructible_v<SecretBytes> && !std::is_copy_assignable_v<SecretBytes>);
static_assert(std::is_nothrow_move_constructible_v<SecretBytes>);

TEST(Keys, AReleasedSecretBufferIsWipedBeforeItIsHandedOutAgain) {
  const std::uint8_t* first_address = nullptr;
  {
    SecretBytes secret(32);
    std::memset(secret.data(), 0xa5, secret.size());
    first_address = secret.data();
  }
  // The thread keeps the buffer for reuse (sodium_malloc is costly); what it hands out is wiped.
  const SecretBytes again(32);
  EXPECT_EQ(again.data(), first_address);
  EXPECT_EQ(sodium_is_zero(again.data(), again.size()), 1);
  // Buffers of another size are never handed out for this one, and many live at once all work.
  std::vector<SecretBytes> many;
  for (int i = 0; i < 40; ++i) {
    many.emplace_back(i % 2 == 0 ? 32 : 64);
    EXPECT_EQ(many.back().size(), i % 2 == 0 ? 32u : 64u);
    EXPECT_EQ(sodium_is_zero(many.back().data(), many.back().size()), 1);
    std::memset(many.back().data(), i, many.back().size());
  }
  many.clear();
  for (int i = 0; i < 40; ++i) {
    const SecretBytes fresh(64);
    EXPECT_EQ(sodium_is_zero(fresh.data(), fresh.size()), 1);
  }
}

TEST(Keys, SerializeAndLoadRoundTrip) {
  const RecipientKeys keys = RecipientKeys::generate();
  const SecretBytes serialized = keys.serialize();
  ASSERT_EQ(serialized.size(), RecipientKeys::kSerializedBytes);
  const auto loaded = RecipientKeys::load(serialized.bytes());
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->meta_address(), keys.meta_address());
  EXPECT_EQ(loaded->id(), keys.id());
  EXPECT_TRUE(loaded->spend().scalar.equals(keys.spend().scalar.bytes()));
  EXPECT_TRUE(loaded->view().secret_key.equals(keys.view().secret_key.bytes()));
}

TEST(Keys, LoadRejectsBadInput) {
  const RecipientKeys keys = RecipientKeys::generate();
  const SecretBytes serialized = keys.serialize();
  std::vector<std::uint8_t> bytes(serialized.data(), serialized.data() + serialized.size());
  EXPECT_FALSE(RecipientKeys::load(std::span(bytes).first(bytes.size() - 1)).has_value());
  auto bad_magic = bytes;
  bad_magic[0] ^= 1;
  EXPECT_FALSE(RecipientKeys::load(bad_magic).has_value());
  auto zero_scalar = bytes;
  std::fill(zero_scalar.begin() + 36, zero_scalar.end(), 0);
  EXPECT_FALSE(RecipientKeys::load(zero_scalar).has_value());
  auto big_scalar = bytes;  // 0xff..ff is >= L: not canonical
  std::fill(big_scalar.begin() + 36, big_scalar.end(), 0xff);
  EXPECT_FALSE(RecipientKeys::load(big_scalar).has_value());
  sodium_memzero(bytes.data(), bytes.size());
}

TEST(Keys, MetaAddressParseRoundTripAndRejects) {
  const RecipientKeys keys = RecipientKeys::generate();
  const auto serialized = keys.meta_address().serialize();
  const auto parsed = MetaAddress::parse(serialized);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(*parsed, keys.meta_address());
  EXPECT_EQ(key_id(*parsed), keys.id());
  EXPECT_FALSE(MetaAddress::parse(std::span(serialized).first(10)).has_value());
  auto not_a_point = serialized;
  std::fill(not_a_point.begin() + 36, not_a_point.end(), 0xff);
  EXPECT_FALSE(MetaAddress::parse(not_a_point).has_value());
}

TEST(Keys, DistinctKeysHaveDistinctIds) {
  EXPECT_NE(RecipientKeys::generate().id(), RecipientKeys::generate().id());
}

TEST(Keys, SecretBytesMoveLeavesSourceEmpty) {
  SecretBytes first = SecretBytes::copy_of(std::vector<std::uint8_t>{1, 2, 3});
  SecretBytes second(std::move(first));
  EXPECT_TRUE(first.empty());  // NOLINT(bugprone-use-after-move): the moved-from state is specified
  EXPECT_EQ(second.size(), 3u);
  EXPECT_TRUE(second.equals(std::vector<std::uint8_t>{1, 2, 3}));
  SecretBytes third(8);
  third = std::move(second);
  EXPECT_TRUE(third.equals(std::vector<std::uint8_t>{1, 2, 3}));
  EXPECT_FALSE(third.equals(std::vector<std::uint8_t>{1, 2, 4}));
}

TEST(Keys, SignWithScalarVerifiesWithStandardVerifier) {
  const RecipientKeys keys = RecipientKeys::generate();
  const std::vector<std::uint8_t> message{'p', 'a', 'y'};
  const Signature signature = sign_with_scalar(keys.spend().scalar, keys.spend().public_key, message);
  EXPECT_EQ(crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                        keys.spend().public_key.data()),
            0);
  const std::vector<std::uint8_t> other{'p', 'a', 'x'};
  EXPECT_FALSE(verify_signature(keys.spend().public_key, other, signature));
  EXPECT_THROW(sign_with_scalar(SecretBytes(16), keys.spend().public_key, message), std::invalid_argument);
}

}  // namespace
}  // namespace spectre

#include <gtest/gtest.h>
#include <sodium.h>

#include "test_support.hpp"

namespace spectre {
namespace {

using testing::indices;
using testing::make_dataset;

TEST(RoundTrip, EachRecipientFindsExactlyItsOwnAndEverySecretSigns) {
  const auto data = make_dataset(3, 4, 30);
  const std::vector<std::uint8_t> message{'s', 'p', 'e', 'n', 'd'};
  for (std::size_t r = 0; r < data.recipients.size(); ++r) {
    const ScanResult result = scan_announcements(data.recipients[r], data.announcements);
    EXPECT_EQ(indices(result), data.expected[r]) << "recipient " << r;
    EXPECT_EQ(result.stats.scanned, data.announcements.size());
    EXPECT_EQ(result.stats.matched, data.expected[r].size());
    EXPECT_EQ(result.stats.bad_input(), 0u);
    EXPECT_EQ(result.stats.tag_rejected + result.stats.tag_false_positive + result.stats.matched,
              result.stats.scanned);
    for (const Match& match : result.matches) {
      EXPECT_EQ(match.stealth_pub, data.announcements[match.index].stealth_pub);
      ASSERT_EQ(match.stealth_secret.size(), 32u);
      // The secret is the discrete log of the announced key...
      std::array<std::uint8_t, 32> derived{};
      ASSERT_EQ(crypto_scalarmult_ed25519_base_noclamp(derived.data(), match.stealth_secret.data()), 0);
      EXPECT_EQ(derived, match.stealth_pub);
      // ...and it signs: libsodium's standard verifier accepts the signature under stealth_pub.
      const Signature signature = sign_with_scalar(match.stealth_secret, match.stealth_pub, message);
      EXPECT_EQ(crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                            match.stealth_pub.data()),
                0);
      // A signature is bound to its key: it does not verify under the spend key.
      EXPECT_NE(crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                            data.recipients[r].spend().public_key.data()),
                0);
    }
  }
}

TEST(RoundTrip, StrangerFindsNothing) {
  const auto data = make_dataset(2, 3, 10);
  const RecipientKeys stranger = RecipientKeys::generate();
  const ScanResult result = scan_announcements(stranger, data.announcements);
  EXPECT_TRUE(result.matches.empty());
  EXPECT_EQ(result.stats.scanned, data.announcements.size());
}

TEST(RoundTrip, SenderOutputsAreWellFormed) {
  const RecipientKeys keys = RecipientKeys::generate();
  SecretBytes ephemeral_secret;
  const std::vector<std::uint8_t> metadata(kMaxMetadataBytes, 0x42);
  const Announcement announcement = create_announcement(keys.meta_address(), metadata, &ephemeral_secret);
  EXPECT_EQ(ephemeral_secret.size(), 32u);
  std::array<std::uint8_t, 32> ephemeral_pub{};
  ASSERT_EQ(crypto_scalarmult_base(ephemeral_pub.data(), ephemeral_secret.data()), 0);
  EXPECT_EQ(ephemeral_pub, announcement.ephemeral_pub);
  EXPECT_EQ(crypto_core_ed25519_is_valid_point(announcement.stealth_pub.data()), 1);
  EXPECT_EQ(announcement.metadata, metadata);
  const std::vector<std::uint8_t> too_long(kMaxMetadataBytes + 1, 0);
  EXPECT_THROW(create_announcement(keys.meta_address(), too_long), std::invalid_argument);
}

TEST(RoundTrip, EncodeDecodeAndIds) {
  const RecipientKeys keys = RecipientKeys::generate();
  const std::vector<std::uint8_t> metadata{1, 2, 3};
  const Announcement announcement = create_announcement(keys.meta_address(), metadata);
  const auto bytes = encode(announcement);
  EXPECT_EQ(bytes.size(), encoded_size(announcement));
  Announcement decoded;
  ASSERT_EQ(decode(bytes, decoded), DecodeError::ok);
  EXPECT_EQ(decoded, announcement);
  EXPECT_EQ(announcement_id(decoded), announcement_id(announcement));
  Announcement changed = announcement;
  changed.metadata.push_back(4);
  EXPECT_NE(announcement_id(changed), announcement_id(announcement));
  const ScanResult from_bytes = scan_encoded(keys, std::vector<std::vector<std::uint8_t>>{bytes});
  ASSERT_EQ(from_bytes.matches.size(), 1u);
  EXPECT_EQ(from_bytes.matches[0].stealth_pub, announcement.stealth_pub);
}

}  // namespace
}  // namespace spectre

#include <gtest/gtest.h>
#include <sodium.h>

#include "test_support.hpp"

namespace spectre {
namespace {

// X25519 u-coordinates of small order (libsodium's own blocklist, canonical ones).
const std::vector<PublicKey> kSmallOrderPoints = {
    PublicKey{},   // 0
    PublicKey{1},  // 1
    PublicKey{0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae, 0x16, 0x56, 0xe3, 0xfa, 0xf1, 0x9f, 0xc4, 0x6a,
              0xda, 0x09, 0x8d, 0xeb, 0x9c, 0x32, 0xb1, 0xfd, 0x86, 0x62, 0x05, 0x16, 0x5f, 0x49, 0xb8, 0x00},
    PublicKey{0x5f, 0x9c, 0x95, 0xbc, 0xa3, 0x50, 0x8c, 0x24, 0xb1, 0xd0, 0xb1, 0x55, 0x9c, 0x83, 0xef, 0x5b,
              0x04, 0x44, 0x5c, 0xc4, 0x58, 0x1c, 0x8e, 0x86, 0xd8, 0x22, 0x4e, 0xdd, 0xd0, 0x9f, 0x11, 0x57},
    PublicKey{0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
              0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
              0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},  // p-1
};

PublicKey field_prime_plus(std::uint8_t k) {
  PublicKey u;
  u.fill(0xff);
  u[0] = static_cast<std::uint8_t>(0xed + k);
  u[31] = 0x7f;
  return u;
}

TEST(Malformed, DecodeReportsEachKindOfWrongLength) {
  Announcement out;
  EXPECT_EQ(decode(std::vector<std::uint8_t>{}, out), DecodeError::too_short);
  EXPECT_EQ(decode(std::vector<std::uint8_t>(kEncodedHeaderBytes - 1, 0), out), DecodeError::too_short);
  std::vector<std::uint8_t> bytes(kEncodedHeaderBytes + 5, 0);
  bytes[65] = 4;  // says 4 bytes of metadata, 5 present
  EXPECT_EQ(decode(bytes, out), DecodeError::length_mismatch);
  bytes[65] = 6;  // says 6, 5 present
  EXPECT_EQ(decode(bytes, out), DecodeError::length_mismatch);
  std::vector<std::uint8_t> huge(kEncodedHeaderBytes + 2000, 0);
  huge[65] = static_cast<std::uint8_t>(2000 & 0xff);
  huge[66] = static_cast<std::uint8_t>(2000 >> 8);
  EXPECT_EQ(decode(huge, out), DecodeError::metadata_too_long);
  bytes[65] = 5;
  EXPECT_EQ(decode(bytes, out), DecodeError::ok);
  EXPECT_STREQ(to_string(DecodeError::length_mismatch), "length_mismatch");
}

TEST(Malformed, ScanEncodedCountsAndSkipsWrongLengths) {
  const RecipientKeys keys = RecipientKeys::generate();
  const Announcement good = create_announcement(keys.meta_address());
  auto good_bytes = encode(good);
  auto short_bytes = good_bytes;
  short_bytes.resize(40);
  auto long_bytes = good_bytes;
  long_bytes.push_back(0);
  std::vector<std::uint8_t> huge(kEncodedHeaderBytes + 1500, 0);
  huge[65] = static_cast<std::uint8_t>(1500 & 0xff);
  huge[66] = static_cast<std::uint8_t>(1500 >> 8);
  const std::vector<std::vector<std::uint8_t>> inputs{{},         short_bytes, good_bytes,
                                                      long_bytes, huge,        good_bytes};
  const ScanResult result = scan_encoded(keys, inputs);
  EXPECT_EQ(result.stats.scanned, 6u);
  EXPECT_EQ(result.stats.bad_length, 4u);
  EXPECT_EQ(result.stats.matched, 2u);
  EXPECT_EQ(testing::indices(result), (std::vector<std::size_t>{2, 5}));
}

TEST(Malformed, SmallOrderAndNonCanonicalEphemeralKeysAreCountedAndSkipped) {
  const RecipientKeys keys = RecipientKeys::generate();
  const Announcement good = create_announcement(keys.meta_address());
  std::vector<Announcement> inputs;
  for (const PublicKey& point : kSmallOrderPoints) {
    Announcement bad = good;
    bad.ephemeral_pub = point;
    inputs.push_back(bad);
  }
  std::size_t noncanonical = 0;
  for (std::uint8_t k : {0, 1, 5, 18}) {  // p, p+1, p+5, p+18: all >= p
    Announcement bad = good;
    bad.ephemeral_pub = field_prime_plus(k);
    inputs.push_back(bad);
    ++noncanonical;
  }
  Announcement high_bit = good;  // a real key with the unused top bit set
  high_bit.ephemeral_pub[31] |= 0x80;
  inputs.push_back(high_bit);
  ++noncanonical;
  inputs.push_back(good);

  const ScanResult result = scan_announcements(keys, inputs);
  EXPECT_EQ(result.stats.small_order_point, kSmallOrderPoints.size());
  EXPECT_EQ(result.stats.noncanonical_point, noncanonical);
  EXPECT_EQ(result.stats.matched, 1u);
  EXPECT_EQ(result.stats.scanned, inputs.size());
  ASSERT_EQ(result.matches.size(), 1u);
  EXPECT_EQ(result.matches[0].index, inputs.size() - 1);
}

TEST(Malformed, TagMatchingByChanceIsAFalsePositiveNotAMatch) {
  const RecipientKeys keys = RecipientKeys::generate();
  const Announcement good = create_announcement(keys.meta_address());
  // Same ephemeral key and tag (so the tag matches) but someone else's valid stealth key.
  Announcement wrong_key = good;
  wrong_key.stealth_pub = create_announcement(RecipientKeys::generate().meta_address()).stealth_pub;
  // Same again, with a stealth key that is not a curve point at all.
  Announcement not_a_point = good;
  not_a_point.stealth_pub.fill(0xff);
  ASSERT_NE(crypto_core_ed25519_is_valid_point(not_a_point.stealth_pub.data()), 1);
  // Small-order Ed25519 point (the identity) as the stealth key.
  Announcement identity = good;
  identity.stealth_pub = PublicKey{1};

  const std::vector<Announcement> inputs{wrong_key, not_a_point, identity, good};
  const ScanResult result = scan_announcements(keys, inputs);
  EXPECT_EQ(result.stats.tag_false_positive, 1u);
  EXPECT_EQ(result.stats.invalid_stealth_point, 2u);
  EXPECT_EQ(result.stats.matched, 1u);
  ASSERT_EQ(result.matches.size(), 1u);
  EXPECT_EQ(result.matches[0].index, 3u);
}

TEST(Malformed, WrongTagIsRejectedCheaply) {
  const RecipientKeys keys = RecipientKeys::generate();
  Announcement announcement = create_announcement(keys.meta_address());
  announcement.view_tag = static_cast<std::uint8_t>(announcement.view_tag + 1);
  const ScanResult result = scan_announcements(keys, std::span(&announcement, 1));
  EXPECT_EQ(result.stats.tag_rejected, 1u);
  EXPECT_TRUE(result.matches.empty());
}

}  // namespace
}  // namespace spectre

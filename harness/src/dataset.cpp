#include "plumb/harness/dataset.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <spectre/sender.hpp>

namespace plumb::harness {

namespace {

constexpr std::size_t kMetadataBytes = 64;
constexpr std::size_t kForeignRecipients = 3;
constexpr std::size_t kSmallOrderEvery = 200;

std::vector<std::uint8_t> metadata_for(std::size_t index) {
  std::vector<std::uint8_t> metadata(kMetadataBytes);
  for (std::size_t i = 0; i < metadata.size(); ++i) metadata[i] = static_cast<std::uint8_t>(index * 31 + i);
  return metadata;
}

}  // namespace

Dataset make_dataset(std::size_t count, double match_fraction) {
  Dataset dataset{spectre::RecipientKeys::generate(), {}, 0, 0};
  std::vector<spectre::RecipientKeys> foreign;
  for (std::size_t i = 0; i < kForeignRecipients; ++i) foreign.push_back(spectre::RecipientKeys::generate());

  const auto wanted = static_cast<std::size_t>(std::llround(static_cast<double>(count) * match_fraction));
  const std::size_t matches = std::clamp<std::size_t>(wanted, 1, count);
  const std::size_t match_every = count / matches;
  dataset.announcements.reserve(count);
  for (std::size_t index = 0; index < count; ++index) {
    const bool ours = index % match_every == 0 && dataset.expected_matches < matches;
    const spectre::MetaAddress recipient =
        ours ? dataset.keys.meta_address() : foreign[index % kForeignRecipients].meta_address();
    spectre::Announcement announcement = spectre::create_announcement(recipient, metadata_for(index));
    if (ours) {
      ++dataset.expected_matches;
    } else if (index % kSmallOrderEvery == kSmallOrderEvery - 1) {
      announcement.ephemeral_pub.fill(0);  // The identity: a small-order point scanners must reject.
      ++dataset.expected_small_order;
    }
    dataset.announcements.push_back(std::move(announcement));
  }
  return dataset;
}

}  // namespace plumb::harness

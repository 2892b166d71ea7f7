#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <spectre/announcement.hpp>
#include <spectre/keys.hpp>

namespace plumb::harness {

// The synthetic workload: the test recipient's keys and announcements, a known share of them
// addressed to those keys, a few small-order (bad) ones, the rest to foreign recipients.
struct Dataset {
  spectre::RecipientKeys keys;
  std::vector<spectre::Announcement> announcements;
  std::uint64_t expected_matches = 0;
  std::uint64_t expected_small_order = 0;
};

// Builds `count` announcements with `match_fraction` of them (at least one) addressed to fresh
// test keys, spread evenly; every 200th other one has a small-order ephemeral key.
Dataset make_dataset(std::size_t count, double match_fraction);

}  // namespace plumb::harness

#pragma once

#include <cstdint>

namespace plumb::harness {

// Makes libsodium's randombytes a ChaCha20 keystream keyed by `seed`, so the synthetic dataset
// (keys and ephemeral keys) is the same for the same seed. Must run before libsodium is
// initialised (i.e. before any SDK call). For the harness only: never in production code.
void install_deterministic_random(std::uint64_t seed);

}  // namespace plumb::harness

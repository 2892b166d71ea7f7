#include "plumb/harness/deterministic_random.hpp"

#include <sodium.h>

#include <array>
#include <cstring>
#include <mutex>

namespace plumb::harness {

namespace {

std::array<unsigned char, crypto_stream_chacha20_KEYBYTES> g_key{};
std::uint64_t g_block = 0;
std::mutex g_mutex;

const char* implementation_name() {
  return "scan_leak-deterministic-chacha20";
}

// Each request takes a fresh nonce, so no keystream byte is ever handed out twice.
void fill(void* out, std::size_t size) {
  const std::lock_guard lock(g_mutex);
  std::array<unsigned char, crypto_stream_chacha20_NONCEBYTES> nonce{};
  std::memcpy(nonce.data(), &g_block, sizeof g_block);
  ++g_block;
  crypto_stream_chacha20(static_cast<unsigned char*>(out), size, nonce.data(), g_key.data());
}

std::uint32_t random_word() {
  std::uint32_t word = 0;
  fill(&word, sizeof word);
  return word;
}

randombytes_implementation g_implementation = {
    .implementation_name = implementation_name,
    .random = random_word,
    .stir = nullptr,
    .uniform = nullptr,
    .buf = fill,
    .close = nullptr,
};

}  // namespace

void install_deterministic_random(std::uint64_t seed) {
  std::array<unsigned char, sizeof seed> seed_bytes{};
  std::memcpy(seed_bytes.data(), &seed, sizeof seed);
  static constexpr unsigned char kContext[] = "scan_leak/dataset-seed/v1";
  crypto_generichash(g_key.data(), g_key.size(), seed_bytes.data(), seed_bytes.size(), kContext,
                     sizeof kContext - 1);
  g_block = 0;
  randombytes_set_implementation(&g_implementation);
}

}  // namespace plumb::harness

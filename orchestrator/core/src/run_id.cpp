#include "plumb/core/run_id.hpp"

#include <sys/random.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string_view>

namespace plumb::core {
namespace {

std::string format_uuid(std::array<std::uint8_t, 16> bytes, unsigned version) {
  bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0f) | (version << 4));
  bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
  char text[37];
  std::snprintf(text, sizeof text, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8],
                bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]);
  return text;
}

std::uint64_t fnv1a(std::string_view text, std::uint64_t hash) {
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace

std::string new_run_id() {
  std::array<std::uint8_t, 16> bytes{};
  if (::getrandom(bytes.data(), bytes.size(), 0) != static_cast<ssize_t>(bytes.size())) {
    std::random_device device;  // getrandom is always there on Linux >= 3.17; this is the fallback
    for (auto& byte : bytes) {
      byte = static_cast<std::uint8_t>(device());
    }
  }
  return format_uuid(bytes, 4);
}

std::string derived_run_id(std::vector<std::string> inputs) {
  std::sort(inputs.begin(), inputs.end());
  std::string joined = "plumb merge";
  for (const std::string& id : inputs) {
    joined += '\n' + id;
  }
  const std::uint64_t high = fnv1a(joined, 0xcbf29ce484222325ULL);
  const std::uint64_t low = fnv1a(joined, 0x84222325cbf29ce4ULL);
  std::array<std::uint8_t, 16> bytes{};
  for (std::size_t i = 0; i < 8; ++i) {
    bytes[i] = static_cast<std::uint8_t>(high >> (56 - 8 * i));
    bytes[8 + i] = static_cast<std::uint8_t>(low >> (56 - 8 * i));
  }
  return format_uuid(bytes, 8);
}

}  // namespace plumb::core

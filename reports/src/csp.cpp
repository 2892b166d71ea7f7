#include "plumb/reports/csp.hpp"

#include <sodium.h>

#include "plumb/core/errors.hpp"

namespace plumb::reports {

std::string csp_hash_source(std::string_view content) {
  if (sodium_init() < 0) {
    throw core::InfrastructureError("libsodium could not be initialized");
  }
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(content.data()), content.size());
  constexpr int kVariant = sodium_base64_VARIANT_ORIGINAL;
  char encoded[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES, kVariant)];
  sodium_bin2base64(encoded, sizeof encoded, digest, sizeof digest, kVariant);
  return std::string("sha256-") + encoded;
}

std::string content_security_policy(std::string_view inline_script, std::string_view inline_style) {
  return "default-src 'none'; script-src '" + csp_hash_source(inline_script) + "'; style-src '" +
         csp_hash_source(inline_style) +
         "'; img-src data:; font-src 'none'; connect-src 'none'; media-src 'none'; object-src 'none'; "
         "frame-src 'none'; worker-src 'none'; manifest-src 'none'; base-uri 'none'; form-action 'none'";
}

}  // namespace plumb::reports

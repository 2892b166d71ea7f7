#include "plumb/analyze/fingerprint.hpp"

#include <cstdint>
#include <cstdio>
#include <string_view>

#include "plumb/analyze/frames.hpp"

namespace plumb::analyze {
namespace {

// FNV-1a 64: tiny, byte-order independent and identical on every platform and compiler.
class Fnv1a64 {
 public:
  void add(std::string_view bytes) {
    for (const char c : bytes) {
      hash_ ^= static_cast<unsigned char>(c);
      hash_ *= 0x100000001b3ULL;
    }
    // A separator no function name contains keeps ("ab","c") apart from ("a","bc").
    hash_ ^= 0xffU;
    hash_ *= 0x100000001b3ULL;
  }
  std::string hex() const {
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash_));
    return text;
  }

 private:
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

}  // namespace

std::size_t identity_depth(core::FindingKind kind) {
  switch (kind) {
    case core::FindingKind::MemoryError:
    case core::FindingKind::Ub:
    case core::FindingKind::Crash:
      return 1;
    default:
      return kFingerprintFrames;
  }
}

std::string fingerprint(const core::Finding& finding) {
  Fnv1a64 hash;
  hash.add(core::to_string(finding.kind));
  if (finding.kind == core::FindingKind::HeapGrowth || finding.kind == core::FindingKind::Ub) {
    // The metric (rss and heap growth are different findings); the UBSan check (a report
    // without a stack is told apart by its check and its own source location).
    hash.add(finding.detail);
  }
  const auto frames = identity_frames(finding.frames);
  for (std::size_t i = 0; i < frames.size() && i < identity_depth(finding.kind); ++i) {
    hash.add(frame_identity(*frames[i]));
  }
  return hash.hex();
}

std::string site_of(const core::Finding& finding) {
  const auto frames = identity_frames(finding.frames);
  return frames.empty() ? std::string() : frame_identity(*frames.front());
}

}  // namespace plumb::analyze

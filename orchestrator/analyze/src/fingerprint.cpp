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

// Symbolizers disagree on the scope of internal-linkage functions: memcheck prints
// "ns::(anonymous namespace)::f", gcc's sanitizer runtime only "f". So that one leak seen by both
// is one finding, identity keeps what follows the last anonymous namespace outside template
// arguments.
std::string without_anonymous_scope(std::string name) {
  constexpr std::string_view kAnonymous = "(anonymous namespace)::";
  std::size_t keep_from = 0;
  int template_depth = 0;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (name[i] == '<') {
      ++template_depth;
    } else if (name[i] == '>' && template_depth > 0) {
      --template_depth;
    } else if (template_depth == 0 && std::string_view(name).substr(i, kAnonymous.size()) == kAnonymous) {
      keep_from = i + kAnonymous.size();
      i = keep_from - 1;
    }
  }
  return name.substr(keep_from);
}

// A frame's name for identity: the normalized function, or "?" and the object's file name when
// the tool could not symbolize it (never a path, never an address).
std::string identity_name(const core::Frame& frame) {
  std::string name = without_anonymous_scope(normalize_function(frame.function));
  if (!name.empty() && name != "???" && name != "<unknown>") {
    return name;
  }
  const auto slash = frame.object.find_last_of('/');
  return "?" + (slash == std::string::npos ? frame.object : frame.object.substr(slash + 1));
}

}  // namespace

std::string fingerprint(const core::Finding& finding) {
  Fnv1a64 hash;
  hash.add(core::to_string(finding.kind));
  if (finding.kind == core::FindingKind::HeapGrowth) {
    hash.add(finding.detail);  // The metric: rss growth and heap growth are different findings.
  }
  auto frames = user_frames(finding.frames);
  if (frames.empty()) {
    frames = finding.frames;
  }
  for (std::size_t i = 0; i < frames.size() && i < kFingerprintFrames; ++i) {
    hash.add(identity_name(frames[i]));
  }
  return hash.hex();
}

}  // namespace plumb::analyze

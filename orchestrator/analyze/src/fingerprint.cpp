#include "plumb/analyze/fingerprint.hpp"

#include <cstdint>
#include <cstdio>
#include <string_view>

#include "plumb/analyze/classify.hpp"
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
    case core::FindingKind::Race:
      return 1;
    default:
      return kFingerprintFrames;
  }
}

std::string_view identity_family(core::FindingKind kind) {
  switch (kind) {
    case core::FindingKind::LeakDefinite:
    case core::FindingKind::LeakIndirect:
    case core::FindingKind::LeakPossible:
    case core::FindingKind::LeakReachable:
      return "leak";
    default:
      return core::to_string(kind);
  }
}

namespace {

// The site of a race's other access: the stack the tool labels as the previous one.
std::string previous_access_site(const core::Finding& finding) {
  for (std::size_t i = 0; i < finding.related_stacks.size(); ++i) {
    if (i + 1 < finding.stack_labels.size() && is_previous_access_label(finding.stack_labels[i + 1])) {
      const auto frames = identity_frames(finding.related_stacks[i]);
      return frames.empty() ? std::string() : frame_identity(*frames.front());
    }
  }
  return {};
}

// The frames after the site, up to the kind's depth: the callers that tell call paths apart.
void add_callers(Fnv1a64& hash, const core::Finding& finding) {
  const auto frames = identity_frames(finding.frames);
  for (std::size_t i = 1; i < frames.size() && i < identity_depth(finding.kind); ++i) {
    hash.add(frame_identity(*frames[i]));
  }
}

}  // namespace

std::string fingerprint(const core::Finding& finding) {
  const std::string site = finding.site.empty() ? site_of(finding) : finding.site;
  Fnv1a64 hash;
  hash.add(identity_family(finding.kind));
  switch (finding.kind) {
    case core::FindingKind::MemoryError: {
      const bool classed =
          finding.error_class != core::ErrorClass::None && finding.error_class != core::ErrorClass::Unclassified;
      hash.add(classed ? core::to_string(finding.error_class) : std::string_view(finding.detail));
      hash.add(core::to_string(finding.access));
      hash.add(site);
      hash.add(finding.location);
      return hash.hex();
    }
    case core::FindingKind::Race: {
      std::string first = site;
      std::string second = previous_access_site(finding);
      if (second < first) {
        std::swap(first, second);
      }
      hash.add(first);
      hash.add(second);
      hash.add(finding.location);
      return hash.hex();
    }
    case core::FindingKind::LeakDefinite:
    case core::FindingKind::LeakIndirect:
    case core::FindingKind::LeakPossible:
    case core::FindingKind::LeakReachable:
      hash.add(finding.allocator);
      break;
    case core::FindingKind::HeapGrowth:
    case core::FindingKind::ThreadLeak:
    case core::FindingKind::FdLeak:
      if (!finding.metric.empty() || finding.kind == core::FindingKind::HeapGrowth) {
        // A growing series is named by what grew (rss and heap growth are two findings).
        hash.add(finding.metric.empty() ? finding.detail : finding.metric);
      }
      break;
    case core::FindingKind::Ub:
      // The UBSan check: a report without a stack is told apart by its check and its own location.
      hash.add(finding.detail);
      break;
    case core::FindingKind::Deadlock:
    case core::FindingKind::Crash:
      break;
  }
  hash.add(site);
  add_callers(hash, finding);
  return hash.hex();
}

std::string site_of(const core::Finding& finding) {
  const auto frames = identity_frames(finding.frames);
  return frames.empty() ? std::string() : frame_identity(*frames.front());
}

}  // namespace plumb::analyze

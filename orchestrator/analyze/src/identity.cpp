#include "plumb/analyze/identity.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <string_view>

#include "plumb/analyze/classify.hpp"
#include "plumb/analyze/fingerprint.hpp"
#include "plumb/analyze/frames.hpp"

namespace plumb::analyze {
namespace {

using core::FindingKind;

bool is_leak(FindingKind kind) {
  return kind == FindingKind::LeakDefinite || kind == FindingKind::LeakIndirect ||
         kind == FindingKind::LeakPossible || kind == FindingKind::LeakReachable;
}

// The stack that allocated the memory a memory error or race touched; nullptr when none is named.
const std::vector<core::Frame>* allocation_stack(const core::Finding& finding) {
  if (finding.kind != FindingKind::MemoryError && finding.kind != FindingKind::Race) {
    return nullptr;
  }
  for (std::size_t i = 0; i < finding.related_stacks.size(); ++i) {
    if (i + 1 < finding.stack_labels.size() && is_allocation_label(finding.stack_labels[i + 1])) {
      return &finding.related_stacks[i];
    }
  }
  return nullptr;
}

// The frame whose call position identity ranks: a leak's allocating call. (An access error's block
// is told apart by its size instead: a halting sanitizer sees one bug per run, so the calls it
// sees could not be numbered as memcheck numbers them.)
const core::Frame* ranked_frame(const core::Finding& finding) {
  if (!is_leak(finding.kind)) {
    return nullptr;
  }
  const auto frames = identity_frames(finding.frames);
  return frames.empty() ? nullptr : frames.front();
}

// The innermost identity frame of the stack that allocated what an access touched, or nullptr.
const core::Frame* allocation_frame(const core::Finding& finding) {
  const std::vector<core::Frame>* stack = allocation_stack(finding);
  if (stack == nullptr) {
    return nullptr;
  }
  const auto frames = identity_frames(*stack);
  return frames.empty() ? nullptr : frames.front();
}

// The size of the block the tool located the address in: memcheck "a block of size 40", the
// sanitizers "40-byte region", TSan "heap block of size 16"; 0 when it names none.
std::uint64_t block_size(std::string_view address) {
  const auto number_before = [&](std::size_t end) -> std::uint64_t {
    std::size_t begin = end;
    while (begin > 0 && address[begin - 1] >= '0' && address[begin - 1] <= '9') {
      --begin;
    }
    std::uint64_t value = 0;
    for (std::size_t i = begin; i < end; ++i) {
      value = value * 10 + static_cast<std::uint64_t>(address[i] - '0');
    }
    return value;
  };
  for (const std::string_view marker : {"block of size ", "region of size "}) {
    if (const auto at = address.find(marker); at != std::string_view::npos) {
      std::uint64_t value = 0;
      for (std::size_t i = at + marker.size(); i < address.size() && address[i] >= '0' && address[i] <= '9'; ++i) {
        value = value * 10 + static_cast<std::uint64_t>(address[i] - '0');
      }
      return value;
    }
  }
  if (const auto at = address.find("-byte region"); at != std::string_view::npos) {
    return number_before(at);
  }
  return 0;
}

std::string group_of(const core::Finding& finding, const SourceGroups& groups) {
  std::string group = finding.tools.empty() ? std::string() : std::string(core::name_of(finding.tools.front()));
  group += '|';
  if (!finding.variants.empty()) {
    const auto it = groups.find(finding.variants.front());
    group += it == groups.end() ? finding.variants.front() : it->second;
  }
  return group;
}

// What the ranks of a function's calls are compared within: the group, the allocator and the function.
std::string rank_scope(const core::Finding& finding, const core::Frame& frame, const SourceGroups& groups) {
  return group_of(finding, groups) + '|' + finding.allocator + '|' + frame_identity(frame);
}

std::string with_rank(std::string identity, int rank) {
  return rank >= 2 ? identity + "#" + std::to_string(rank) : identity;
}

// The first "0x<hex>" after `marker` in `text`.
std::optional<std::uint64_t> address_after(std::string_view text, std::string_view marker) {
  const auto at = text.find(marker);
  if (at == std::string_view::npos) {
    return std::nullopt;
  }
  const auto hex = text.find("0x", at + marker.size());
  if (hex == std::string_view::npos) {
    return std::nullopt;
  }
  std::uint64_t value = 0;
  std::size_t i = hex + 2;
  std::size_t digits = 0;
  for (; i < text.size() && digits < 16; ++i, ++digits) {
    const char c = text[i];
    const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (digit < 0) {
      break;
    }
    value = value * 16 + static_cast<std::uint64_t>(digit);
  }
  return digits == 0 ? std::nullopt : std::optional<std::uint64_t>(value);
}

// The quoted name after `marker`: "global 'counter'" from "Location is global 'counter' of size".
std::string quoted_after(std::string_view text, std::string_view marker) {
  const auto at = text.find(marker);
  if (at == std::string_view::npos) {
    return {};
  }
  const auto start = at + marker.size();
  if (start >= text.size() || (text[start] != '\'' && text[start] != '"')) {
    return {};
  }
  const auto end = text.find(text[start], start + 1);
  return end == std::string_view::npos ? std::string() : std::string(text.substr(start + 1, end - start - 1));
}

// "+8" when the access is 8 bytes into the object the tool located, else "".
std::string offset_text(const core::Finding& finding, std::string_view object_marker) {
  if (finding.stack_labels.empty()) {
    return {};
  }
  const auto access = address_after(finding.stack_labels.front(), " at ");
  const auto object = address_after(finding.address, object_marker);
  if (!access || !object || *access < *object || *access - *object == 0 || *access - *object > (1U << 20)) {
    return {};
  }
  return "+" + std::to_string(*access - *object);
}

}  // namespace

std::string location_of(const core::Finding& finding, const std::string& allocation_site) {
  const std::string_view address = finding.address;
  const std::string allocator = finding.allocator.empty() ? std::string() : finding.allocator + " at ";
  const std::uint64_t size = block_size(address);
  const std::string block = size == 0 ? std::string("block") : "block of " + std::to_string(size) + " bytes";
  if (finding.kind == FindingKind::Race) {
    // TSan: "Location is global 'x' of size 4 at 0x..", "Location is heap block of size 16 at 0x..
    // allocated by ..", "Location is stack of thread T1"; helgrind: "Location 0x.. is 0 bytes inside
    // global var \"x\"".
    if (auto name = quoted_after(address, "global "); !name.empty()) {
      return "global '" + name + "'" + offset_text(finding, " at ");
    }
    if (auto name = quoted_after(address, "global var "); !name.empty()) {
      return "global '" + name + "'";
    }
    if (!allocation_site.empty()) {
      return "heap " + block + " from " + allocator + allocation_site + offset_text(finding, " heap block of size ");
    }
    if (address.find("Location is stack") != std::string_view::npos) {
      return "stack";
    }
    if (address.find("Location is TLS") != std::string_view::npos) {
      return "thread-local storage";
    }
    return {};
  }
  if (!allocation_site.empty()) {
    return block + " from " + allocator + allocation_site;
  }
  if (auto name = quoted_after(address, "global variable "); !name.empty()) {
    return "global '" + name + "'";  // ASan: ".. is located 0 bytes to the right of global variable 'g'".
  }
  return {};
}

void assign_identity(std::vector<core::Finding>& findings, const SourceGroups& groups) {
  // Each scope's call lines, in source order: a call's rank is its place among them.
  std::map<std::string, std::set<int>> lines_of;
  for (const auto& finding : findings) {
    if (const core::Frame* frame = ranked_frame(finding); frame != nullptr && frame->line > 0) {
      lines_of[rank_scope(finding, *frame, groups)].insert(frame->line);
    }
  }
  const auto rank_of = [&](const core::Finding& finding, const core::Frame& frame) {
    const auto it = lines_of.find(rank_scope(finding, frame, groups));
    if (it == lines_of.end() || frame.line <= 0) {
      return 1;
    }
    return static_cast<int>(std::distance(it->second.begin(), it->second.find(frame.line))) + 1;
  };
  for (auto& finding : findings) {
    finding.site = site_of(finding);
    const core::Frame* ranked = ranked_frame(finding);
    if (is_leak(finding.kind)) {
      if (ranked != nullptr) {
        finding.site = with_rank(finding.site, rank_of(finding, *ranked));
      }
      finding.location.clear();
    } else {
      const core::Frame* allocated = allocation_frame(finding);
      finding.location = location_of(finding, allocated == nullptr ? std::string() : frame_identity(*allocated));
    }
    finding.fingerprint = fingerprint(finding);
  }
}

}  // namespace plumb::analyze

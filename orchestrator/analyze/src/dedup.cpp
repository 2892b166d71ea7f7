#include "plumb/analyze/dedup.hpp"

#include <algorithm>
#include <map>
#include <string>

namespace plumb::analyze {
namespace {

// new > baseline > suppressed: a defect still new anywhere is new.
int severity(core::FindingStatus status) {
  switch (status) {
    case core::FindingStatus::New:
      return 2;
    case core::FindingStatus::Baseline:
      return 1;
    case core::FindingStatus::Suppressed:
      return 0;
  }
  return 2;
}

// `list` sorted (by name: core::by_name for reporters), each element once.
void sort_unique(std::vector<std::string>& list) {
  std::sort(list.begin(), list.end());
  list.erase(std::unique(list.begin(), list.end()), list.end());
}

void sort_unique(std::vector<core::Reporter>& list) {
  std::sort(list.begin(), list.end(), core::by_name);
  list.erase(std::unique(list.begin(), list.end()), list.end());
}

template <typename T>
void add_sorted_unique(std::vector<T>& into, const std::vector<T>& from) {
  into.insert(into.end(), from.begin(), from.end());
  sort_unique(into);
}

// One report of a defect: which tools and variants saw it (a single (tool, variant) for fresh
// parser output; a merged set for findings read back from other reports).
std::string source_key(const core::Finding& finding) {
  auto tools = finding.tools;
  auto variants = finding.variants;
  std::sort(tools.begin(), tools.end(), core::by_name);
  std::sort(variants.begin(), variants.end());
  std::string key;
  for (const core::Reporter tool : tools) {
    key += std::string(core::name_of(tool)) + ",";
  }
  key += "|";
  for (const auto& variant : variants) {
    key += variant + ",";
  }
  return key;
}

// The sources a finding stands for: its shares when it was merged before (read back from a
// report), else itself.
std::vector<core::FindingShare> sources_of(const core::Finding& finding) {
  if (!finding.shares.empty()) {
    return finding.shares;
  }
  return {core::FindingShare{finding.tools, finding.variants, finding.bytes, finding.blocks,
                             finding.occurrences}};
}

std::string share_key(const core::FindingShare& share) {
  core::Finding probe;
  probe.tools = share.tools;
  probe.variants = share.variants;
  return source_key(probe);
}

}  // namespace

std::vector<core::Finding> deduplicate(std::vector<core::Finding> findings) {
  std::vector<core::Finding> merged;
  std::map<std::string, std::size_t> index_of;                     // fingerprint → merged index
  std::vector<std::map<std::string, core::FindingShare>> sources;  // per merged: source → its sums
  for (auto& finding : findings) {
    // One finding per fingerprint and kind: a leak memcheck calls definitely lost at one call path and
    // possibly lost at another is one identity (one baseline entry) shown as two kinds.
    const auto [it, inserted] =
        index_of.try_emplace(finding.fingerprint + "|" + std::string(core::to_string(finding.kind)), merged.size());
    if (inserted) {
      sources.emplace_back();
    }
    for (const core::FindingShare& share : sources_of(finding)) {
      auto [entry, fresh] = sources[it->second].try_emplace(share_key(share), share);
      if (!fresh) {
        entry->second.bytes += share.bytes;
        entry->second.blocks += share.blocks;
        entry->second.occurrences += share.occurrences;
      }
    }
    if (inserted) {
      sort_unique(finding.tools);
      sort_unique(finding.variants);
      finding.shares.clear();
      merged.push_back(std::move(finding));
      continue;
    }
    auto& target = merged[it->second];
    add_sorted_unique(target.tools, finding.tools);
    add_sorted_unique(target.variants, finding.variants);
    target.occurrences += finding.occurrences;
    if (severity(finding.status) > severity(target.status)) {
      target.status = finding.status;
      target.suppression = finding.suppression;
    }
    if (target.frames.empty() && !finding.frames.empty()) {
      target.frames = std::move(finding.frames);
      target.stack_labels = std::move(finding.stack_labels);
    }
  }
  // Across sources, one source's own total stands for the defect (the largest, when runs differ);
  // each source's own is kept beside it, so a test's report says what that test lost.
  for (std::size_t i = 0; i < merged.size(); ++i) {
    const auto& per_source = sources[i];
    const auto largest =
        std::max_element(per_source.begin(), per_source.end(), [](const auto& a, const auto& b) {
          return a.second.bytes < b.second.bytes ||
                 (a.second.bytes == b.second.bytes && a.second.blocks < b.second.blocks);
        });
    merged[i].bytes = largest->second.bytes;
    merged[i].blocks = largest->second.blocks;
    if (per_source.size() > 1) {
      for (const auto& [key, share] : per_source) {
        merged[i].shares.push_back(share);
      }
    }
  }
  return merged;
}

static int disposition_rank(core::Disposition disposition) {
  switch (disposition) {
    case core::Disposition::Gating:
      return 0;
    case core::Disposition::KindNotGating:
      return 1;
    case core::Disposition::CanaryExpected:
      return 2;
    case core::Disposition::Baseline:
      return 3;
    case core::Disposition::Suppressed:
      return 4;
  }
  return 5;
}

void sort_findings(std::vector<core::Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const core::Finding& a, const core::Finding& b) {
    if (a.disposition != b.disposition) {
      return disposition_rank(a.disposition) < disposition_rank(b.disposition);
    }
    if (a.kind != b.kind) {
      return a.kind < b.kind;
    }
    if (a.bytes != b.bytes) {
      return a.bytes > b.bytes;
    }
    return a.fingerprint < b.fingerprint;
  });
}

}  // namespace plumb::analyze

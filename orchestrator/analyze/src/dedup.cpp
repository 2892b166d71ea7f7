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

void add_sorted_unique(std::vector<std::string>& into, const std::vector<std::string>& from) {
  into.insert(into.end(), from.begin(), from.end());
  std::sort(into.begin(), into.end());
  into.erase(std::unique(into.begin(), into.end()), into.end());
}

// One report of a defect: which tools and variants saw it (a single (tool, variant) for fresh
// parser output; a merged set for findings read back from other reports).
std::string source_key(const core::Finding& finding) {
  auto tools = finding.tools;
  auto variants = finding.variants;
  std::sort(tools.begin(), tools.end());
  std::sort(variants.begin(), variants.end());
  std::string key;
  for (const auto& tool : tools) {
    key += tool + ",";
  }
  key += "|";
  for (const auto& variant : variants) {
    key += variant + ",";
  }
  return key;
}

struct Amount {
  std::uint64_t bytes = 0;
  std::uint64_t blocks = 0;
};

}  // namespace

std::vector<core::Finding> deduplicate(std::vector<core::Finding> findings) {
  std::vector<core::Finding> merged;
  std::map<std::string, std::size_t> index_of;         // fingerprint → merged index
  std::vector<std::map<std::string, Amount>> amounts;  // per merged: source → sums
  for (auto& finding : findings) {
    const auto [it, inserted] = index_of.try_emplace(finding.fingerprint, merged.size());
    const auto key = source_key(finding);
    if (inserted) {
      amounts.emplace_back();
      auto& amount = amounts.back()[key];
      amount.bytes = finding.bytes;
      amount.blocks = finding.blocks;
      std::sort(finding.tools.begin(), finding.tools.end());
      finding.tools.erase(std::unique(finding.tools.begin(), finding.tools.end()), finding.tools.end());
      std::sort(finding.variants.begin(), finding.variants.end());
      finding.variants.erase(std::unique(finding.variants.begin(), finding.variants.end()),
                             finding.variants.end());
      merged.push_back(std::move(finding));
      continue;
    }
    auto& target = merged[it->second];
    auto& amount = amounts[it->second][key];
    amount.bytes += finding.bytes;
    amount.blocks += finding.blocks;
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
  // Across sources, one source's own total stands for the defect (the largest, when runs differ).
  for (std::size_t i = 0; i < merged.size(); ++i) {
    const auto& per_source = amounts[i];
    const auto largest =
        std::max_element(per_source.begin(), per_source.end(), [](const auto& a, const auto& b) {
          return a.second.bytes < b.second.bytes ||
                 (a.second.bytes == b.second.bytes && a.second.blocks < b.second.blocks);
        });
    merged[i].bytes = largest->second.bytes;
    merged[i].blocks = largest->second.blocks;
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

#include "plumb/analyze/merge.hpp"
#include "plumb/core/run_id.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "plumb/analyze/dedup.hpp"
#include "plumb/analyze/fingerprint.hpp"
#include "plumb/analyze/frames.hpp"
#include "plumb/analyze/identity.hpp"
#include "plumb/core/errors.hpp"

namespace plumb::analyze {

core::Report merge_reports(std::vector<core::Report> reports, const GatePolicy& policy) {
  core::Report merged;
  std::set<std::string> names;
  std::vector<core::Finding> findings;
  std::map<std::string, core::SuppressionUse> uses;
  std::vector<std::string> use_order;
  for (auto& report : reports) {
    // An input that could not be judged keeps the merge from passing, even when none of its
    // variants says why (a schema-1 report, or one whose errors were not about a variant).
    merged.errors.insert(merged.errors.end(), report.errors.begin(), report.errors.end());
    const bool variant_says_error =
        std::any_of(report.variants.begin(), report.variants.end(), cannot_be_judged);
    if (report.verdict == core::Verdict::Error && !variant_says_error && report.errors.empty()) {
      std::string why;
      for (const auto& reason : report.reasons) {
        if (reason.verdict == core::Verdict::Error) {
          why += (why.empty() ? ": " : "; ") + reason.text;
        }
      }
      merged.errors.push_back("an input report's verdict is error" + why);
    }
    // A report made with other identity rules (an older plumb) is identified again from its
    // frames by the same rules a run applies (two leaking calls in one function stay two), so one
    // defect is one finding across the matrix.
    if (report.identity != kIdentityVersion) {
      for (auto& finding : report.findings) {
        mark_library_frames(finding);
      }
      SourceGroups groups;
      for (const auto& variant : report.variants) {
        groups[variant.name] = variant.suite.empty() ? variant.name : variant.suite;
      }
      assign_identity(report.findings, groups);
    }
    for (auto& variant : report.variants) {
      if (!names.insert(variant.name).second) {
        throw core::UsageError("merge: variant \"" + variant.name + "\" appears in more than one report");
      }
      merged.variants.push_back(std::move(variant));
    }
    for (auto& finding : report.findings) {
      if (finding.fingerprint.empty()) {
        mark_library_frames(finding);
        finding.site = site_of(finding);
        finding.fingerprint = fingerprint(finding);
      }
      findings.push_back(std::move(finding));
    }
    for (auto& series : report.growth) {
      merged.growth.push_back(std::move(series));
    }
    for (const auto& use : report.suppressions) {
      const auto [it, inserted] = uses.try_emplace(use.id, use);
      if (inserted) {
        use_order.push_back(use.id);
        continue;
      }
      // Hits add up; an entry is stale only when it matched nothing in any report.
      it->second.hits += use.hits;
      it->second.stale = it->second.stale && use.stale;
      it->second.expired = it->second.expired || use.expired;
      if (it->second.reason.empty()) {
        it->second.reason = use.reason;
      }
    }
    merged.generated_at = std::max(merged.generated_at, report.generated_at);
    // What each input counted past its cap stays counted (kinds summed).
    for (const auto& truncation : report.truncated) {
      auto same = std::find_if(merged.truncated.begin(), merged.truncated.end(),
                               [&](const core::Truncation& t) { return t.kind == truncation.kind; });
      if (same == merged.truncated.end()) {
        merged.truncated.push_back(truncation);
      } else {
        same->kept += truncation.kept;
        same->dropped += truncation.dropped;
        same->dropped_new += truncation.dropped_new;
        same->dropped_bytes += truncation.dropped_bytes;
        same->dropped_occurrences += truncation.dropped_occurrences;
      }
    }
  }
  std::vector<std::string> input_ids;
  for (const auto& report : reports) {
    input_ids.push_back(report.run_id);
  }
  // One report merged is that report re-rendered: the same set, the same id. Several make a new
  // set, whose id is derived from theirs (the same inputs give the same id).
  merged.run_id = input_ids.size() == 1 && !input_ids.front().empty()
                      ? input_ids.front()
                      : core::derived_run_id(std::move(input_ids));
  merged.findings = deduplicate(std::move(findings));
  merged.identity = kIdentityVersion;
  for (const auto& id : use_order) {
    merged.suppressions.push_back(uses.at(id));
  }
  apply_gate(merged, policy);  // Which sorts the findings and groups them by site.
  return merged;
}

}  // namespace plumb::analyze

#include "plumb/analyze/cap.hpp"

#include <algorithm>
#include <map>
#include <vector>

namespace plumb::analyze {

void cap_findings(core::Report& report, std::size_t cap) {
  if (cap == 0) {
    return;
  }
  std::map<core::FindingKind, std::vector<std::size_t>> by_kind;
  for (std::size_t i = 0; i < report.findings.size(); ++i) {
    by_kind[report.findings[i].kind].push_back(i);
  }
  std::vector<bool> keep(report.findings.size(), true);
  for (auto& [kind, members] : by_kind) {
    if (members.size() <= cap) {
      continue;
    }
    const auto before = [&](std::size_t a, std::size_t b) {
      const core::Finding& x = report.findings[a];
      const core::Finding& y = report.findings[b];
      const bool x_new = x.status == core::FindingStatus::New;
      const bool y_new = y.status == core::FindingStatus::New;
      if (x_new != y_new) {
        return x_new;
      }
      if (x.bytes != y.bytes) {
        return x.bytes > y.bytes;
      }
      if (x.occurrences != y.occurrences) {
        return x.occurrences > y.occurrences;
      }
      return a < b;
    };
    std::sort(members.begin(), members.end(), before);
    core::Truncation truncation;
    truncation.kind = kind;
    truncation.kept = cap;
    for (std::size_t rank = cap; rank < members.size(); ++rank) {
      const core::Finding& dropped = report.findings[members[rank]];
      keep[members[rank]] = false;
      ++truncation.dropped;
      truncation.dropped_new += dropped.status == core::FindingStatus::New ? 1 : 0;
      truncation.dropped_bytes += dropped.bytes;
      truncation.dropped_occurrences += dropped.occurrences;
    }
    report.truncated.push_back(truncation);
  }
  if (report.truncated.empty()) {
    return;
  }
  std::vector<core::Finding> kept;
  kept.reserve(report.findings.size());
  for (std::size_t i = 0; i < report.findings.size(); ++i) {
    if (keep[i]) {
      kept.push_back(std::move(report.findings[i]));
    }
  }
  report.findings = std::move(kept);
}

}  // namespace plumb::analyze

#include "plumb/analyze/gate.hpp"

#include <algorithm>
#include <set>
#include <string>

#include "plumb/analyze/analyze.hpp"
#include "plumb/analyze/frames.hpp"
#include "plumb/core/errors.hpp"

namespace plumb::analyze {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    out += (out.empty() ? "" : ", ") + item;
  }
  return out;
}

// A finding counts against the gate unless every variant that saw it is a canary (whose
// findings are planted on purpose). A finding with no variant (e.g. `plumb parse`) counts.
bool seen_outside_canaries(const core::Finding& finding, const std::set<std::string>& canaries) {
  return finding.variants.empty() ||
         std::any_of(finding.variants.begin(), finding.variants.end(),
                     [&](const std::string& name) { return canaries.count(name) == 0; });
}

std::string describe(const core::Finding& finding) {
  std::string where = finding.frames.empty() ? std::string("unknown location")
                                             : normalize_function(finding.frames.front().function);
  if (where.empty()) {
    where = "unknown location";
  }
  std::string line = "new " + std::string(core::to_string(finding.kind)) + " in " + where;
  if (!finding.tools.empty()) {
    line += " (" + join(finding.tools) + ")";
  }
  return line + " [" + finding.fingerprint + "]";
}

}  // namespace

GatePolicy default_gate_policy() {
  GatePolicy policy;
  for (const auto kind : core::kAllFindingKinds) {
    if (kind != core::FindingKind::LeakReachable) {
      policy.gating_kinds.insert(kind);
    }
  }
  return policy;
}

bool is_infrastructure_failure(const core::VariantResult& variant) {
  switch (variant.status) {
    case core::VariantStatus::Timeout:
    case core::VariantStatus::Crashed:
    case core::VariantStatus::Incomplete:
      return true;
    case core::VariantStatus::Ok:
    case core::VariantStatus::Failed:
    case core::VariantStatus::Skipped:
      break;
  }
  return variant.canary && variant.note.find(kSilentCanaryNote) != std::string::npos;
}

void apply_gate(core::Report& report, const GatePolicy& policy) {
  report.gate_reasons.clear();
  std::set<std::string> canaries;
  std::set<std::string> explained;  // Variants with a finding or growth series that explains a failure.
  for (const auto& variant : report.variants) {
    if (variant.canary) {
      canaries.insert(variant.name);
    }
  }
  for (const auto& finding : report.findings) {
    explained.insert(finding.variants.begin(), finding.variants.end());
  }
  for (const auto& series : report.growth) {
    if (series.verdict == "fail") {
      explained.insert(series.variant);
    }
  }
  for (const auto& variant : report.variants) {
    const std::string note = variant.note.empty() ? "" : ": " + variant.note;
    if (is_infrastructure_failure(variant)) {
      report.gate_reasons.push_back("variant " + variant.name + " " +
                                    std::string(core::to_string(variant.status)) + note);
    } else if (variant.status == core::VariantStatus::Failed && !variant.canary &&
               explained.count(variant.name) == 0) {
      const std::string code = variant.exit_code ? " (exit " + std::to_string(*variant.exit_code) + ")" : "";
      report.gate_reasons.push_back("variant " + variant.name + " failed" + code + " without any finding" +
                                    note);
    }
  }
  for (const auto& finding : report.findings) {
    if (finding.status != core::FindingStatus::New || policy.gating_kinds.count(finding.kind) == 0 ||
        (finding.kind == core::FindingKind::HeapGrowth && !policy.fail_on_growth) ||
        !seen_outside_canaries(finding, canaries)) {
      continue;
    }
    report.gate_reasons.push_back(describe(finding));
  }
  report.verdict = report.gate_reasons.empty() ? "pass" : "fail";
}

int exit_code(const core::Report& report) {
  if (std::any_of(report.variants.begin(), report.variants.end(), is_infrastructure_failure)) {
    return core::kExitInfrastructure;
  }
  return report.verdict == "pass" ? core::kExitPass : core::kExitGateFailed;
}

}  // namespace plumb::analyze

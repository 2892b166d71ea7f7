#include "plumb/analyze/gate.hpp"

#include <algorithm>
#include <map>
#include <string>

#include "plumb/analyze/dedup.hpp"
#include "plumb/analyze/frames.hpp"
#include "plumb/core/metric.hpp"
#include "plumb/core/strings.hpp"
#include "plumb/core/tools.hpp"

namespace plumb::analyze {
namespace {

using core::Disposition;
using core::VariantStatus;
using core::Verdict;

// The function a finding is "at": its at-frame's name without parameters, or its location.
std::string where_of(const core::Finding& finding) {
  const core::Frame* frame = core::at_frame(finding);
  std::string where = frame == nullptr ? std::string() : normalize_function(frame->function);
  if (where.empty() && frame != nullptr && !frame->file.empty()) {
    where = frame->file + ":" + std::to_string(frame->line);
  }
  return where.empty() ? std::string("unknown location") : where;
}

// What a finding is, in a reason: its kind and class, then where ("in make_buf"), or for a
// growing series without a stack what grew ("of threads").
std::string what_and_where(const core::Finding& finding) {
  std::string what = std::string(core::to_string(finding.kind));
  if (finding.error_class != core::ErrorClass::None) {
    what += " (" + std::string(core::to_string(finding.error_class)) +
            (finding.access == core::Access::None ? "" : " " + std::string(core::to_string(finding.access))) + ")";
  }
  const bool unplaced_growth = !finding.metric.empty() && core::at_frame(finding) == nullptr;
  if (unplaced_growth) {
    return what + " of " + finding.metric;
  }
  return what + " in " + where_of(finding);
}

// One reason for the gating findings of one site: what, where, which tools, how many call paths
// reach it, and the lead's fingerprint (a site reached through many paths is one line).
std::string describe_site(const std::vector<const core::Finding*>& findings) {
  const core::Finding& lead = *findings.front();
  std::vector<std::string> tools;
  for (const auto* finding : findings) {
    for (const core::Reporter reporter : finding->tools) {
      const std::string tool(core::name_of(reporter));
      if (std::find(tools.begin(), tools.end(), tool) == tools.end()) {
        tools.push_back(tool);
      }
    }
  }
  std::string line = lead.baseline_bytes ? what_and_where(lead) + " grew from " + std::to_string(*lead.baseline_bytes) +
                                               " to " + std::to_string(lead.grown_bytes) +
                                               " bytes, past what the baseline accepted"
                                         : "new " + what_and_where(lead);
  if (!lead.location.empty()) {
    line += ", " + lead.location;
  } else if (!lead.allocator.empty()) {
    // Two leaks in one function are told apart by allocator and call order (identity.hpp).
    line += ", by " + lead.allocator;
    if (const auto hash = lead.site.rfind('#'); hash != std::string::npos) {
      line += ", its leaking call #" + lead.site.substr(hash + 1) + " there";
    }
  }
  if (!tools.empty()) {
    line += " (" + core::join(tools) + ")";
  }
  if (findings.size() > 1) {
    line += ": " + std::to_string(findings.size()) + " call paths";
  }
  return line + " [" + lead.fingerprint + (findings.size() > 1 ? " …" : "") + "]";
}

bool seen_only_by_canaries(const core::Finding& finding, const std::map<std::string, bool>& canary_of) {
  if (finding.variants.empty()) {
    return false;
  }
  return std::all_of(finding.variants.begin(), finding.variants.end(), [&](const std::string& name) {
    const auto it = canary_of.find(name);
    return it != canary_of.end() && it->second;
  });
}

Disposition disposition_of(const core::Finding& finding, const GatePolicy& policy,
                           const std::map<std::string, bool>& canary_of) {
  if (finding.status == core::FindingStatus::Suppressed) {
    return Disposition::Suppressed;
  }
  if (finding.status == core::FindingStatus::Baseline) {
    return Disposition::Baseline;
  }
  if (seen_only_by_canaries(finding, canary_of)) {
    return Disposition::CanaryExpected;
  }
  if (policy.gating_kinds.count(finding.kind) == 0 ||
      (finding.kind == core::FindingKind::HeapGrowth && !policy.fail_on_growth)) {
    return Disposition::KindNotGating;
  }
  return Disposition::Gating;
}

bool is_error_status(VariantStatus status) {
  switch (status) {
    case VariantStatus::Timeout:
    case VariantStatus::Crashed:
    case VariantStatus::Incomplete:
    case VariantStatus::Skipped:
      return true;
    case VariantStatus::Ok:
    case VariantStatus::Failed:
      break;
  }
  return false;
}

// What one variant contributed: its findings by disposition and its failing series.
struct VariantEvidence {
  std::size_t findings = 0;
  std::size_t gating = 0;
  std::size_t gating_series = 0;
  std::vector<std::string> caught;
};

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

bool proves_canary_alive(core::FindingKind kind) {
  switch (kind) {
    case core::FindingKind::LeakDefinite:
    case core::FindingKind::LeakIndirect:
    case core::FindingKind::LeakPossible:
    case core::FindingKind::LeakReachable:
    case core::FindingKind::ThreadLeak:
    case core::FindingKind::FdLeak:
    case core::FindingKind::HeapGrowth:
      return true;
    default:
      return false;
  }
}

void apply_gate(core::Report& report, const GatePolicy& policy) {
  std::map<std::string, bool> canary_of;
  std::map<std::string, VariantEvidence> evidence;
  for (const auto& variant : report.variants) {
    canary_of[variant.name] = variant.canary;
  }
  std::vector<core::VerdictReason> failures;
  for (auto& finding : report.findings) {
    finding.disposition = disposition_of(finding, policy, canary_of);
    for (const auto& name : finding.variants) {
      VariantEvidence& seen = evidence[name];
      ++seen.findings;
      seen.gating += core::is_gating(finding) ? 1 : 0;
      if (proves_canary_alive(finding.kind)) {
        // Growth is named by its metric (the series says the same); the rest by where they are.
        const std::string caught =
            !finding.metric.empty() && core::at_frame(finding) == nullptr
                ? std::string(core::to_string(finding.kind)) + " of " + finding.metric
                : std::string(core::to_string(finding.kind)) + " at " + where_of(finding);
        if (std::find(seen.caught.begin(), seen.caught.end(), caught) == seen.caught.end()) {
          seen.caught.push_back(caught);
        }
      }
    }
  }
  // The report order (what fails first), then the sites every renderer reads: built here, once.
  sort_findings(report.findings);
  report.sites = core::group_sites(report.findings);
  // One reason per gating site: a bug reached through many stacks is one line, not one per stack.
  for (const core::Site& site : report.sites) {
    std::vector<const core::Finding*> members;
    std::vector<std::string> variants;
    for (const std::size_t index : site.findings) {
      const core::Finding& member = report.findings[index];
      if (!core::is_gating(member)) {
        continue;
      }
      members.push_back(&member);
      for (const auto& name : member.variants) {
        if (std::find(variants.begin(), variants.end(), name) == variants.end()) {
          variants.push_back(name);
        }
      }
    }
    if (!members.empty()) {
      failures.push_back({Verdict::Fail, variants.size() == 1 ? variants.front() : "", describe_site(members)});
    }
  }
  // Past the cap, new findings of a gating kind are counted, not listed: say how many more there are.
  for (const auto& truncation : report.truncated) {
    if (truncation.dropped_new > 0 && policy.gating_kinds.count(truncation.kind) != 0) {
      failures.push_back({Verdict::Fail, "",
                          std::to_string(truncation.dropped_new) + " more new " +
                              std::string(core::to_string(truncation.kind)) +
                              " findings past the report's cap (counted, not listed)"});
    }
  }
  for (auto& series : report.growth) {
    const bool canary = canary_of.count(series.variant) != 0 && canary_of.at(series.variant);
    const bool fails = series.verdict == core::GrowthVerdict::Fail;
    // The link: the finding this failing series is, seen in its variant: the one made of it (its
    // metric), else the tool's own report of that kind (TSan's leaked thread; analysis made no
    // second finding of it). The series gates when that finding does (suppressed, baselined...).
    series.finding.clear();
    bool finding_gates = true;
    if (fails) {
      const auto in_variant = [&](const core::Finding& finding) {
        return std::find(finding.variants.begin(), finding.variants.end(), series.variant) != finding.variants.end();
      };
      const core::FindingKind kind = core::growth_kind(series.metric);
      const core::Finding* linked = nullptr;
      for (const auto& finding : report.findings) {
        if (in_variant(finding) && finding.metric == series.metric) {
          linked = &finding;
          break;
        }
      }
      for (const auto& finding : report.findings) {
        if (linked == nullptr && kind != core::FindingKind::HeapGrowth && in_variant(finding) &&
            finding.kind == kind && finding.metric.empty()) {
          linked = &finding;
        }
      }
      if (linked != nullptr) {
        series.finding = linked->fingerprint;
        finding_gates = core::is_gating(*linked);
      }
    }
    series.gating = fails && policy.fail_on_growth && !canary && finding_gates;
    if (series.gating) {
      ++evidence[series.variant].gating_series;
    }
    if (fails && canary) {
      auto& caught = evidence[series.variant].caught;
      const std::string text = std::string(core::to_string(core::growth_kind(series.metric))) + " of " + series.metric;
      if (std::find(caught.begin(), caught.end(), text) == caught.end()) {
        caught.push_back(text);
      }
    }
  }
  std::vector<core::VerdictReason> errors;
  for (auto& variant : report.variants) {
    const VariantEvidence& seen = evidence[variant.name];
    const std::string note = variant.note.empty() ? "" : ": " + variant.note;
    const std::string name = "variant " + variant.name;
    const std::size_t errors_before = errors.size();
    const std::size_t failures_before = failures.size();
    for (const auto& error : variant.errors) {
      errors.push_back({Verdict::Error, variant.name, name + ": " + error});
    }
    if (is_error_status(variant.status) && !variant.skipped_by_rule && variant.errors.empty()) {
      errors.push_back(
          {Verdict::Error, variant.name, name + " " + std::string(core::to_string(variant.status)) + note});
    }
    variant.caught = variant.canary ? seen.caught : std::vector<std::string>{};
    if (variant.canary && variant.caught.empty() && variant.status != VariantStatus::Skipped) {
      errors.push_back(
          {Verdict::Error, variant.name,
           name + ": canary stayed silent: its tool reported no leak, thread, fd or growth finding, "
                  "so nothing proves the tool works"});
    }
    // A program that failed on its own (its exit code is not the one plumb gives the tool for
    // reporting) fails the run even when every finding it had is accepted: the findings do not
    // explain its exit, and a failing test is never a pass.
    const int exit_code = variant.exit_code.value_or(-1);
    if (variant.status == VariantStatus::Failed && seen.findings > 0 && !variant.canary &&
        variant.exit_code && !core::is_report_exit_code(variant.tool, exit_code)) {
      failures.push_back({Verdict::Fail, variant.name,
                          name + " failed (exit " + std::to_string(exit_code) +
                              ") on its own: its exit code is the program's, not " +
                              std::string(core::name_of(variant.tool)) +
                              "'s report code, whatever its findings" + note});
    }
    if (variant.status == VariantStatus::Failed && seen.findings == 0 && !variant.canary) {
      const int code = variant.exit_code.value_or(-1);
      if (code == 126 || code == 127) {
        errors.push_back(
            {Verdict::Error, variant.name,
             name + ": the command could not be run (exit " + std::to_string(code) + ")" + note});
      } else {
        const std::string exit = variant.exit_code ? " (exit " + std::to_string(code) + ")" : "";
        failures.push_back(
            {Verdict::Fail, variant.name, name + " failed" + exit + " without any finding" + note});
      }
    }
    if (errors.size() > errors_before) {
      variant.verdict = Verdict::Error;
    } else if (failures.size() > failures_before || seen.gating > 0 || seen.gating_series > 0) {
      variant.verdict = Verdict::Fail;
    } else {
      variant.verdict = Verdict::Pass;
    }
  }
  for (const auto& error : report.errors) {
    errors.push_back({Verdict::Error, "", error});
  }
  report.reasons = std::move(errors);
  report.verdict = report.reasons.empty() ? Verdict::Pass : Verdict::Error;
  if (!failures.empty() && report.verdict == Verdict::Pass) {
    report.verdict = Verdict::Fail;
  }
  report.reasons.insert(report.reasons.end(), failures.begin(), failures.end());
}

bool cannot_be_judged(const core::VariantResult& variant) {
  return !variant.errors.empty() || (is_error_status(variant.status) && !variant.skipped_by_rule);
}

int exit_code(const core::Report& report) {
  return core::exit_code_of(report.verdict);
}

}  // namespace plumb::analyze

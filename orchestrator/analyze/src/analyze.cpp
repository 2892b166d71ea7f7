#include "plumb/analyze/analyze.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>

#include "plumb/analyze/dedup.hpp"
#include "plumb/analyze/fingerprint.hpp"
#include "plumb/analyze/frames.hpp"

namespace plumb::analyze {
namespace {

using core::FindingKind;
using core::VariantStatus;

void add_note(core::VariantResult& variant, const std::string& note) {
  variant.note += (variant.note.empty() ? "" : "; ") + note;
}

// Kinds a canary's planted defect may show up as: a lost allocation, thread or fd, or growth.
bool proves_canary_alive(FindingKind kind) {
  switch (kind) {
    case FindingKind::LeakDefinite:
    case FindingKind::LeakIndirect:
    case FindingKind::LeakPossible:
    case FindingKind::LeakReachable:
    case FindingKind::ThreadLeak:
    case FindingKind::FdLeak:
    case FindingKind::HeapGrowth:
      return true;
    default:
      return false;
  }
}

std::string format_number(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

// A failing growth series as a finding, so it can be suppressed or baselined like any other.
core::Finding growth_finding(const core::GrowthSeries& series, const std::string& tool) {
  core::Finding finding;
  finding.kind = FindingKind::HeapGrowth;
  finding.detail = series.metric;
  if (!tool.empty()) {
    finding.tools.push_back(tool);
  }
  finding.variants.push_back(series.variant);
  finding.message = series.metric + " grows by " + format_number(series.slope_per_iteration) + " " +
                    series.unit + " per iteration (threshold " + format_number(series.threshold) +
                    ", 95% CI " + format_number(series.ci_low) + " .. " + format_number(series.ci_high) + ")";
  auto sites = series.sites;
  std::stable_sort(sites.begin(), sites.end(), [](const auto& a, const auto& b) {
    return a.slope_per_iteration > b.slope_per_iteration;
  });
  for (const auto& site : sites) {
    finding.frames.push_back(core::Frame{site.function, site.file, site.line, ""});
  }
  return finding;
}

std::vector<core::Frame> stripped(const std::vector<core::Frame>& frames) {
  auto user = user_frames(frames);
  return user.empty() ? frames : user;
}

// Turns one variant's outcome into findings and growth, fixing its status from its logs.
void collect_variant(core::VariantOutcome& outcome, std::vector<core::Finding>& findings,
                     std::vector<core::GrowthSeries>& growth) {
  auto& variant = outcome.result;
  bool any_recognised = false;
  bool crash_explained = false;
  bool canary_alive = false;
  const std::size_t first_finding = findings.size();
  for (auto& log : outcome.logs) {
    if (!log.result.recognised) {
      add_note(variant, "log " + log.path + " was not recognised as " + log.tool + " output");
      continue;
    }
    any_recognised = true;
    if (!log.result.complete) {
      add_note(variant, "log " + log.path + " is cut off");
      // A tool killed mid-run leaves a cut log: what it wrote counts, but the run is incomplete.
      if (variant.status == VariantStatus::Ok || variant.status == VariantStatus::Failed ||
          variant.status == VariantStatus::Crashed) {
        variant.status = VariantStatus::Incomplete;
      }
    }
    std::map<std::string, bool> has_growth_finding;  // metric → a parser already made one
    for (auto& finding : log.result.findings) {
      if (finding.tools.empty()) {
        finding.tools.push_back(log.tool);
      }
      if (finding.variants.empty() && !variant.name.empty()) {
        finding.variants.push_back(variant.name);
      }
      if (finding.kind == FindingKind::Crash && log.result.complete) {
        crash_explained = true;
      }
      if (finding.kind == FindingKind::HeapGrowth) {
        has_growth_finding[finding.detail] = true;
      }
      canary_alive = canary_alive || proves_canary_alive(finding.kind);
      findings.push_back(std::move(finding));
    }
    for (auto& series : log.result.growth) {
      if (series.variant.empty()) {
        series.variant = variant.name;
      }
      if (series.verdict == "fail" && !has_growth_finding[series.metric]) {
        findings.push_back(growth_finding(series, log.tool));
        canary_alive = true;
      }
      growth.push_back(std::move(series));
    }
  }
  if (outcome.expects_output && !any_recognised && variant.status != VariantStatus::Skipped) {
    add_note(variant, "no parseable output");
    if (variant.status != VariantStatus::Timeout && variant.status != VariantStatus::Crashed) {
      variant.status = VariantStatus::Incomplete;
    }
  }
  // A crash the tool itself reported (a complete log with a crash finding) is a defect of the
  // program, gated as a finding; a crash nothing explains stays an infrastructure failure.
  if (variant.status == VariantStatus::Crashed && crash_explained) {
    variant.status = VariantStatus::Failed;
    add_note(variant, "crash reported by the tool");
  }
  if (variant.canary && !canary_alive && variant.status != VariantStatus::Skipped) {
    add_note(variant, std::string(kSilentCanaryNote));
    if (variant.status == VariantStatus::Ok) {
      variant.status = VariantStatus::Failed;
    }
  }
  for (std::size_t i = first_finding; i < findings.size(); ++i) {
    auto& finding = findings[i];
    finding.frames = stripped(finding.frames);
    for (auto& stack : finding.related_stacks) {
      stack = stripped(stack);
    }
  }
}

std::tm utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm parts{};
  gmtime_r(&now, &parts);
  return parts;
}

void apply_suppressions_and_baseline(core::Report& report, const AnalysisInputs& inputs) {
  const auto& entries = inputs.suppressions.entries;
  std::vector<std::uint64_t> hits(entries.size(), 0);
  std::vector<bool> matched(entries.size(), false);
  std::vector<bool> expired(entries.size(), false);
  for (std::size_t e = 0; e < entries.size(); ++e) {
    expired[e] = is_expired(entries[e], inputs.today);
  }
  for (auto& finding : report.findings) {
    bool suppressed = false;
    for (std::size_t e = 0; e < entries.size(); ++e) {
      if (!matches(entries[e], finding)) {
        continue;
      }
      matched[e] = true;
      // The first live entry in file order takes the hit; an expired entry no longer suppresses.
      if (!suppressed && !expired[e]) {
        finding.status = core::FindingStatus::Suppressed;
        finding.suppression = entries[e].id;
        ++hits[e];
        suppressed = true;
      }
    }
    if (!suppressed && inputs.baseline.fingerprints.count(finding.fingerprint) > 0) {
      finding.status = core::FindingStatus::Baseline;
    }
  }
  for (std::size_t e = 0; e < entries.size(); ++e) {
    report.suppressions.push_back(
        core::SuppressionUse{entries[e].id, hits[e], !matched[e], expired[e], entries[e].reason});
  }
}

}  // namespace

std::string today_utc() {
  const auto now = utc_now();
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d", &now);
  return text;
}

core::Report analyze(std::vector<core::VariantOutcome> outcomes, const AnalysisInputs& inputs) {
  core::Report report;
  std::vector<core::Finding> findings;
  for (auto& outcome : outcomes) {
    collect_variant(outcome, findings, report.growth);
    report.variants.push_back(std::move(outcome.result));
  }
  for (auto& finding : findings) {
    finding.fingerprint = fingerprint(finding);
    finding.status = core::FindingStatus::New;
    finding.suppression.reset();
  }
  report.findings = deduplicate(std::move(findings));
  apply_suppressions_and_baseline(report, inputs);
  sort_findings(report.findings);
  const auto now = utc_now();
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &now);
  report.generated_at = stamp;
  apply_gate(report, inputs.policy);
  return report;
}

}  // namespace plumb::analyze

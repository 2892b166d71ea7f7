#include "plumb/analyze/analyze.hpp"

#include "plumb/core/clock.hpp"
#include "plumb/analyze/paths.hpp"
#include "plumb/core/run_id.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <map>

#include "plumb/analyze/classify.hpp"
#include "plumb/analyze/dedup.hpp"
#include "plumb/analyze/fingerprint.hpp"
#include "plumb/analyze/frames.hpp"
#include "plumb/analyze/growth.hpp"
#include "plumb/analyze/identity.hpp"
#include "plumb/core/metric.hpp"
#include "plumb/core/tools.hpp"

namespace plumb::analyze {
namespace {

using core::FindingKind;
using core::VariantStatus;

void add_note(core::VariantResult& variant, const std::string& note) {
  variant.note += (variant.note.empty() ? "" : "; ") + note;
}

std::vector<core::Frame> stripped(const std::vector<core::Frame>& frames) {
  auto user = user_frames(frames);
  return user.empty() ? frames : user;
}

// The crash finding of a run that a signal ended when no tool reported the crash itself.
core::Finding signal_crash(const core::VariantResult& variant, int signal) {
  core::Finding crash;
  crash.kind = FindingKind::Crash;
  const char* abbrev = sigabbrev_np(signal);
  crash.detail = std::string("SIG") + (abbrev != nullptr ? abbrev : "?");
  crash.tools = {core::reporter_of(variant.tool)};
  crash.variants = {variant.name};
  crash.message =
      "the program was killed by signal " + std::to_string(signal) + " (" + strsignal(signal) + ")";
  return crash;
}

// A run plumb killed (timeout, stop request) makes its tool report the kill itself (a fatal
// SIGTERM/SIGKILL) and, at that exit, every block, thread and fd the program still held: what a
// program holds mid-run is not a leak. Those reports are dropped, with a note; what the tool
// reported of the program's own doing (memory errors, races, UB) stays. The run is an error anyway.
void drop_kill_artifacts(core::VariantResult& variant, std::vector<core::Finding>& findings,
                         std::size_t first) {
  const auto artifact = [](const core::Finding& finding) {
    switch (finding.kind) {
      case FindingKind::Crash:
      case FindingKind::LeakDefinite:
      case FindingKind::LeakIndirect:
      case FindingKind::LeakPossible:
      case FindingKind::LeakReachable:
      case FindingKind::ThreadLeak:
      case FindingKind::FdLeak:
        return true;
      default:
        return false;
    }
  };
  const auto begin = findings.begin() + static_cast<std::ptrdiff_t>(first);
  const auto kept =
      std::stable_partition(begin, findings.end(), [&](const core::Finding& f) { return !artifact(f); });
  const auto dropped = std::distance(kept, findings.end());
  if (dropped > 0) {
    findings.erase(kept, findings.end());
    add_note(variant,
             std::to_string(dropped) +
                 " crash, leak, thread-leak and fd reports made when plumb killed it were dropped: what a "
                 "program holds when it is killed is not a leak");
  }
}

// Whether the process of `log` is the forked child of another process of the same run.
bool is_child_of_another_log(const core::ParsedLog& log, const std::vector<core::ParsedLog>& logs) {
  return !log.result.ppid.empty() && std::any_of(logs.begin(), logs.end(), [&](const core::ParsedLog& other) {
    return &other != &log && other.result.pid == log.result.ppid;
  });
}

// Turns one variant's outcome into findings and growth; records in variant.errors everything that
// keeps it from being judged (a cut or unrecognised log, no output at all). The one place where a
// crash is told apart: reported by the tool (a finding, gated) or not (an error).
void collect_variant(core::VariantOutcome& outcome, std::vector<core::Finding>& findings,
                     std::vector<core::GrowthSeries>& growth) {
  auto& variant = outcome.result;
  variant.errors.insert(variant.errors.end(), outcome.errors.begin(), outcome.errors.end());
  if (!outcome.errors.empty() &&
      (variant.status == VariantStatus::Ok || variant.status == VariantStatus::Failed)) {
    variant.status = VariantStatus::Incomplete;
  }
  if (variant.tool == core::Tool::Native && !outcome.expects_output &&
      !outcome.exit_code_only && variant.status != VariantStatus::Skipped) {
    variant.errors.push_back(
        "a native run with no harness samples has no evidence but its exit code; give the program "
        "--samples (scan_leak) or mark it judged by exit code alone (exit_code_only = true, or exec "
        "--exit-code-only)");
  }
  bool any_recognised = false;
  bool crash_reported = false;
  std::vector<std::pair<std::size_t, core::Reporter>> failing_series;  // Index in `growth`, its log's reporter.
  const std::size_t first_finding = findings.size();
  for (auto& log : outcome.logs) {
    if (log.foreign) {
      // The program's own stderr, read only for the UBSan reports gcc's libubsan writes there
      // (see run/tool_adapter.cpp); the rest of it is the program's and the tool's chatter.
      std::erase_if(log.result.findings, [](const core::Finding& f) { return f.kind != FindingKind::Ub; });
      log.result.growth.clear();
      log.result.complete = true;
      log.result.left_tool = false;
      if (log.result.findings.empty()) {
        continue;
      }
    }
    if (!log.result.recognised) {
      variant.errors.push_back("log " + log.path + " is not " + std::string(core::name_of(log.reporter)) + " output");
      if (variant.status == VariantStatus::Ok || variant.status == VariantStatus::Failed) {
        variant.status = VariantStatus::Incomplete;
      }
      continue;
    }
    any_recognised = any_recognised || !log.foreign;
    if (log.result.left_tool && is_child_of_another_log(log, outcome.logs)) {
      // A forked child that exec'd a program the tool does not follow: nothing ran under it.
      add_note(variant, "log " + log.path + ": forked child pid " + log.result.pid + " exec'd a program " +
                            std::string(core::name_of(log.reporter)) + " does not follow");
      continue;
    }
    if (!log.result.complete && outcome.killed_by_plumb && variant.status == VariantStatus::Timeout) {
      // plumb's own kill at the timeout cut it (a tool writing its leak check of a large heap got
      // SIGKILL after the grace): the timeout is the error, and its note says why and what to do.
      add_note(variant, "log " + log.path + " was cut off when plumb killed the run");
    } else if (!log.result.complete) {
      // What a cut log holds counts, but it proves nothing about what is missing.
      variant.errors.push_back("log " + log.path + " is incomplete" +
                               (log.result.incomplete_reason.empty() ? std::string(" (cut off)")
                                                                     : ": " + log.result.incomplete_reason));
      if (variant.status == VariantStatus::Ok || variant.status == VariantStatus::Failed ||
          variant.status == VariantStatus::Crashed) {
        variant.status = VariantStatus::Incomplete;
      }
    }
    std::map<std::string, bool> has_growth_finding;  // metric → the tool made its finding (the doctor's stacks)
    const bool forked_child = is_child_of_another_log(log, outcome.logs);
    for (auto& finding : log.result.findings) {
      if (forked_child) {
        finding.message += " (in forked child pid " + log.result.pid + " of pid " + log.result.ppid + ")";
      }
      if (finding.tools.empty()) {
        finding.tools.push_back(log.reporter);
      }
      if (finding.variants.empty() && !variant.name.empty()) {
        finding.variants.push_back(variant.name);
      }
      crash_reported = crash_reported || finding.kind == FindingKind::Crash;
      if (!finding.metric.empty()) {
        has_growth_finding[finding.metric] = true;  // One series, one finding, of the series' kind.
      }
      findings.push_back(std::move(finding));
    }
    for (auto& series : log.result.growth) {
      if (series.variant.empty()) {
        series.variant = variant.name;
      }
      if (series.verdict == core::GrowthVerdict::Fail && !has_growth_finding[series.metric]) {
        failing_series.emplace_back(growth.size(), log.reporter);
      }
      growth.push_back(std::move(series));
    }
  }
  // A failing series is a finding of its metric's kind, unless a tool already reported that kind
  // in this run: a thread count that grows where TSan reported the leaked thread, or an fd count
  // where memcheck reported the open fd, is one defect seen twice, and the series links to the
  // tool's finding (the gate makes the link), which has the stack.
  const std::size_t tool_findings_end = findings.size();
  for (const auto& [index, tool] : failing_series) {
    const core::GrowthSeries& series = growth[index];
    const core::FindingKind kind = core::growth_kind(series.metric);
    const bool reported = kind != core::FindingKind::HeapGrowth &&
                          std::any_of(findings.begin() + static_cast<std::ptrdiff_t>(first_finding),
                                      findings.begin() + static_cast<std::ptrdiff_t>(tool_findings_end),
                                      [&](const core::Finding& f) { return f.kind == kind && f.metric.empty(); });
    if (!reported) {
      findings.push_back(growth_finding(series, tool));
    }
  }
  if (outcome.expects_output && !any_recognised && outcome.killed_by_plumb &&
      variant.status == VariantStatus::Timeout) {
    // Killed at its timeout before the tool wrote anything (a sanitizer writes at exit): the
    // timeout is the error, and its note says why and what to do.
    add_note(variant, "no " + std::string(core::name_of(variant.tool)) + " output: plumb killed the run before the tool wrote any");
  } else if (outcome.expects_output && !any_recognised && variant.status != VariantStatus::Skipped &&
             variant.errors.empty()) {
    variant.errors.push_back("no parseable " + std::string(core::name_of(variant.tool)) + " output");
    if (variant.status != VariantStatus::Timeout && variant.status != VariantStatus::Crashed) {
      variant.status = VariantStatus::Incomplete;
    }
  }
  if (outcome.signal != 0 && !crash_reported) {
    findings.push_back(signal_crash(variant, outcome.signal));
  }
  if (outcome.killed_by_plumb) {
    drop_kill_artifacts(variant, findings, first_finding);
  }
  // A crash that a complete log explains is a defect of the program, gated as a finding; one
  // that nothing explains stays crashed, an error.
  if (variant.status == VariantStatus::Crashed && crash_reported && variant.errors.empty()) {
    variant.status = VariantStatus::Failed;
    add_note(variant, "crash reported by the tool");
  }
  for (std::size_t i = first_finding; i < findings.size(); ++i) {
    auto& finding = findings[i];
    classify(finding);  // Before stripping: the allocator frames name what allocated.
    finding.frames = stripped(finding.frames);
    for (auto& stack : finding.related_stacks) {
      stack = stripped(stack);
    }
    mark_library_frames(finding);
  }
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
  // A baseline accepts an amount: a baselined leak that grew past it (with the tolerance) is new.
  std::map<std::string, std::optional<Growth>> growth_of;
  for (auto& finding : report.findings) {
    if (finding.status != core::FindingStatus::Baseline || identity_family(finding.kind) != "leak") {
      continue;
    }
    const auto accepted = inputs.baseline.amounts.find(finding.fingerprint);
    if (accepted == inputs.baseline.amounts.end()) {
      continue;  // An entry without an amount accepts any.
    }
    auto [it, fresh] = growth_of.try_emplace(finding.fingerprint);
    if (fresh) {
      it->second = grown(accepted->second, leak_amount(report, finding.fingerprint), inputs.tolerance);
    }
    if (it->second) {
      finding.status = core::FindingStatus::New;
      finding.baseline_bytes = it->second->from;
      finding.grown_bytes = it->second->to;
    }
  }
  for (std::size_t e = 0; e < entries.size(); ++e) {
    report.suppressions.push_back(
        core::SuppressionUse{entries[e].id, hits[e], !matched[e], expired[e], entries[e].reason});
  }
}

}  // namespace

std::string today_utc() {
  return core::utc_date();
}

core::Report analyze(std::vector<core::VariantOutcome> outcomes, const AnalysisInputs& inputs) {
  core::Report report;
  std::vector<core::Finding> findings;
  for (auto& outcome : outcomes) {
    collect_variant(outcome, findings, report.growth);
    report.variants.push_back(std::move(outcome.result));
  }
  SourceGroups groups;
  for (const auto& variant : report.variants) {
    groups[variant.name] = variant.suite.empty() ? variant.name : variant.suite;
  }
  assign_identity(findings, groups);
  for (auto& finding : findings) {
    finding.status = core::FindingStatus::New;
    finding.suppression.reset();
  }
  report.findings = deduplicate(std::move(findings));
  normalize_source_paths(report, inputs.source_root);
  apply_suppressions_and_baseline(report, inputs);
  cap_findings(report, inputs.max_findings_per_kind);
  report.generated_at = inputs.generated_at.empty() ? core::utc_timestamp() : inputs.generated_at;
  report.run_id = inputs.run_id.empty() ? core::new_run_id() : inputs.run_id;
  report.identity = kIdentityVersion;
  report.plumb_version = inputs.plumb_version;
  apply_gate(report, inputs.policy);  // Which sorts the findings and groups them by site.
  return report;
}

}  // namespace plumb::analyze

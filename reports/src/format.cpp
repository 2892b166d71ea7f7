#include "format.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "plumb/core/units.hpp"

namespace plumb::reports {

std::string format_number(double value, int precision) {
  if (!std::isfinite(value)) {
    return std::isnan(value) ? "n/a" : (value > 0 ? "∞" : "-∞");
  }
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return fmt::format("{}", static_cast<long long>(value));
  }
  std::string text = fmt::format("{:.{}g}", value, precision);
  return text;
}

std::string format_bytes(double bytes) {
  return core::format_bytes(bytes);
}

std::string format_quantity(double value, std::string_view unit) {
  if (unit == "bytes" || unit == "B") {
    return format_bytes(value);
  }
  if (unit == "kB" || unit == "KiB" || unit == "kiB") {
    return format_bytes(value * 1024.0);
  }
  if (unit.empty() || unit == "count") {
    return format_number(value);
  }
  return format_number(value) + " " + std::string(unit);
}

namespace {

// The words of an axis: a rate's suffix ("/iter") and a chart's x-axis title ("iteration").
struct AxisWords {
  std::string_view per;
  std::string_view title;
};

AxisWords axis_words(core::GrowthAxis axis) {
  switch (axis) {
    case core::GrowthAxis::Iteration:
      break;
    case core::GrowthAxis::Snapshot:
      return {"/snapshot", "massif snapshot"};
    case core::GrowthAxis::Second:
      return {"/s", "seconds"};
  }
  return {"/iter", "iteration"};
}

}  // namespace

std::string format_rate(double per_step, std::string_view unit, core::GrowthAxis axis) {
  const std::string sign = per_step > 0 ? "+" : "";
  return sign + format_quantity(per_step, unit) + std::string(axis_words(axis).per);
}

std::string_view axis_title(core::GrowthAxis axis) {
  return axis_words(axis).title;
}

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) {
    return "n/a";
  }
  if (seconds < 1.0) {
    return fmt::format("{} ms", static_cast<long long>(std::lround(seconds * 1000.0)));
  }
  if (seconds < 60.0) {
    return fmt::format("{:.1f} s", seconds);
  }
  const auto whole = static_cast<long long>(std::lround(seconds));
  if (whole < 3600) {
    return fmt::format("{} min {:02} s", whole / 60, whole % 60);
  }
  return fmt::format("{} h {:02} min", whole / 3600, (whole % 3600) / 60);
}

std::string_view kind_title(core::FindingKind kind) {
  using core::FindingKind;
  switch (kind) {
    case FindingKind::LeakDefinite:
      return "Definitely lost memory";
    case FindingKind::LeakIndirect:
      return "Indirectly lost memory";
    case FindingKind::LeakPossible:
      return "Possibly lost memory";
    case FindingKind::LeakReachable:
      return "Still reachable memory at exit";
    case FindingKind::ThreadLeak:
      return "Thread left running or unjoined";
    case FindingKind::Race:
      return "Data race";
    case FindingKind::Deadlock:
      return "Lock-order inversion (potential deadlock)";
    case FindingKind::FdLeak:
      return "File descriptor leak";
    case FindingKind::MemoryError:
      return "Memory error";
    case FindingKind::Ub:
      return "Undefined behaviour";
    case FindingKind::Crash:
      return "Crash or fatal tool error";
    case FindingKind::HeapGrowth:
      return "Memory or resource growth";
  }
  return "Finding";
}

std::string_view verdict_word(core::Verdict verdict) {
  switch (verdict) {
    case core::Verdict::Pass:
      return "PASS";
    case core::Verdict::Fail:
      return "FAIL";
    case core::Verdict::Error:
      break;
  }
  return "ERROR";
}

std::string describe_identity(const core::Finding& finding) {
  std::string text;
  const auto add = [&](const std::string& part) {
    text += (text.empty() ? "" : "; ") + part;
  };
  std::string what;
  if (finding.error_class != core::ErrorClass::None) {
    what = std::string(core::to_string(finding.error_class));
    if (finding.access != core::Access::None) {
      what += " " + std::string(core::to_string(finding.access));
    }
  }
  if (!finding.location.empty()) {
    const std::string_view joint = finding.kind == core::FindingKind::Race ? "on " : "of a ";
    what += (what.empty() ? "" : " ") + std::string(joint) + finding.location;
  }
  if (!what.empty()) {
    add(what);
  }
  if (finding.location.empty() && !finding.allocator.empty()) {
    add("allocated by " + finding.allocator);
  }
  if (finding.baseline_bytes) {
    add("grew from " + format_bytes(static_cast<double>(*finding.baseline_bytes)) + " to " +
        format_bytes(static_cast<double>(finding.grown_bytes)) + " past its baseline");
  }
  return text;
}

std::string disposition_label(const core::Finding& finding) {
  switch (finding.disposition) {
    case core::Disposition::Gating:
      return "gating: fails the run";
    case core::Disposition::KindNotGating:
      return "not gating: its kind does not gate";
    case core::Disposition::Baseline:
      return "accepted by the baseline";
    case core::Disposition::Suppressed:
      return "suppressed by " + finding.suppression.value_or("a suppression");
    case core::Disposition::CanaryExpected:
      return "expected: planted in a canary";
  }
  return "";
}

std::string frame_location(const core::Frame& frame) {
  if (frame.file.empty()) {
    return "";
  }
  return frame.line > 0 ? frame.file + ":" + std::to_string(frame.line) : frame.file;
}

std::string describe_truncation(const core::Truncation& t) {
  return std::string(core::to_string(t.kind)) + ": the " + std::to_string(t.kept) + " largest listed; " +
         std::to_string(t.dropped) + " more distinct findings (" + std::to_string(t.dropped_new) + " new, " +
         format_bytes(static_cast<double>(t.dropped_bytes)) + ", " + std::to_string(t.dropped_occurrences) +
         " occurrences) counted, not listed (project.max_findings_per_kind)";
}

std::string describe_shard(const core::ShardRecord& shard) {
  const std::string name = "shard " + std::to_string(shard.index) + "/" + std::to_string(shard.count);
  std::string balance;
  switch (shard.balance) {
    case core::ShardBalance::Count:
      balance = "balanced by count";
      break;
    case core::ShardBalance::Timings:
      balance = "balanced by the durations of run " + shard.timings_run_id;
      break;
  }
  if (shard.runs.empty()) {
    return name + ": none of the " + std::to_string(shard.plan.size()) +
           " planned runs (more shards than units of work; valid, plumb merge of all " +
           std::to_string(shard.count) + " shards judges the plan), " + balance;
  }
  return name + ": " + std::to_string(shard.runs.size()) + " of " + std::to_string(shard.plan.size()) +
         " planned runs, " + balance + "; plumb merge of all " + std::to_string(shard.count) +
         " shards judges the plan";
}

std::vector<std::pair<core::FindingKind, std::size_t>> count_sites_by_kind(const core::Report& report,
                                                                           std::optional<core::Disposition> only) {
  std::vector<std::pair<core::FindingKind, std::size_t>> counts;
  for (const auto kind : core::kAllFindingKinds) {
    const auto count = std::count_if(report.sites.begin(), report.sites.end(), [&](const core::Site& site) {
      return site.kind == kind && (!only || site.disposition == *only);
    });
    if (count > 0) {
      counts.emplace_back(kind, static_cast<std::size_t>(count));
    }
  }
  return counts;
}

std::string tool_words(const core::Finding& finding) {
  const std::string message = finding.message.empty() ? std::string(kind_title(finding.kind)) : finding.message;
  if (finding.occurrences > 1 && !finding.message.empty()) {
    return "the first of " + std::to_string(finding.occurrences) + " reports: " + message;
  }
  return message;
}

}  // namespace plumb::reports

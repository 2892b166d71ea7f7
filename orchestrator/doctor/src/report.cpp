#include "plumb/doctor/report.hpp"
#include "plumb/core/run_id.hpp"

#include "plumb/analyze/gate.hpp"

#include <chrono>
#include <ctime>

#include <fmt/format.h>

namespace plumb::doctor {

namespace {

std::string problem_of(const MetricVerdict& m) {
  if (m.metric == "threads") {
    return fmt::format("thread count grew from {:.0f} to {:.0f} over {:.1f} s ({:.2f} threads/min)", m.first,
                       m.last, m.window_s, m.slope_per_s * 60);
  }
  if (m.metric == "fds") {
    return fmt::format("open fd count grew from {:.0f} to {:.0f} over {:.1f} s ({:.2f} fds/min)", m.first,
                       m.last, m.window_s, m.slope_per_s * 60);
  }
  return fmt::format("RSS grew from {:.0f} KiB to {:.0f} KiB over {:.1f} s ({:.1f} KiB/s): leak suspected",
                     m.first / 1024, m.last / 1024, m.window_s, m.slope_per_s / 1024);
}

}  // namespace

std::string utc_now_iso8601() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

core::Report to_report(const Diagnosis& diagnosis, const ObservedProcess& process) {
  core::Report report;
  report.generated_at = process.generated_at;
  report.run_id = process.run_id.empty() ? core::new_run_id() : process.run_id;
  core::VariantResult variant;
  variant.name = "doctor";
  variant.tool = "doctor";
  variant.status = diagnosis.conclusive ? core::VariantStatus::Ok : core::VariantStatus::Incomplete;
  variant.duration_s = process.duration_s;
  variant.command = process.command;
  variant.repro = "plumb doctor -- " + process.command;
  variant.note = fmt::format(
      "x axis: seconds since the start; slopes per second; {:.1f} s warm-up; activity {} "
      "({:.2f} cores){}{}",
      diagnosis.warmup_s, to_string(diagnosis.activity), diagnosis.cpu_cores,
      process.exited_early ? "; the process exited before the duration was up" : "",
      diagnosis.conclusive ? "" : "; " + diagnosis.inconclusive_reason);
  report.variants.push_back(variant);
  for (const auto& m : diagnosis.metrics) {
    core::GrowthSeries series;
    series.variant = "doctor";
    series.metric = m.metric;
    series.unit = m.unit;
    series.slope_per_iteration = m.slope_per_s;
    series.intercept = m.intercept;
    series.ci_low = m.ci_low;
    series.ci_high = m.ci_high;
    series.threshold = m.threshold_per_s;
    series.samples = m.samples;
    series.verdict = m.growing ? "fail" : "ok";
    report.growth.push_back(std::move(series));
    if (!m.growing) {
      continue;
    }
    core::Finding finding;
    finding.kind = core::growth_kind(m.metric);
    finding.detail = m.metric + " growth";
    finding.metric = m.metric;
    finding.tools = {"doctor"};
    finding.variants = {"doctor"};
    finding.message = problem_of(m);
    finding.fingerprint = "doctor:" + m.metric;
    report.findings.push_back(finding);
  }
  if (!diagnosis.conclusive) {
    report.variants.front().errors.push_back("inconclusive: " + diagnosis.inconclusive_reason);
  }
  // The doctor's verdict is the gate's, like every other report's.
  analyze::apply_gate(report, analyze::default_gate_policy());
  return report;
}

}  // namespace plumb::doctor

#include "plumb/doctor/report.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>

#include <fmt/format.h>

#include "plumb/analyze/frames.hpp"
#include "plumb/analyze/growth.hpp"
#include "plumb/core/metric.hpp"
#include "plumb/core/units.hpp"

namespace plumb::doctor {

namespace {

std::string problem_of(const MetricVerdict& m) {
  const auto metric = core::metric_named(m.metric);
  if (metric == core::Metric::Threads) {
    return fmt::format("thread count grew from {:.0f} to {:.0f} over {:.1f} s ({:.2f} threads/min)", m.first,
                       m.last, m.window_s, m.slope_per_s * 60);
  }
  if (metric == core::Metric::Fds) {
    return fmt::format("open fd count grew from {:.0f} to {:.0f} over {:.1f} s ({:.2f} fds/min)", m.first,
                       m.last, m.window_s, m.slope_per_s * 60);
  }
  return fmt::format("RSS grew from {:.0f} KiB to {:.0f} KiB over {:.1f} s ({:.1f} KiB/s): leak suspected",
                     m.first / 1024, m.last / 1024, m.window_s, m.slope_per_s / 1024);
}


// "remember at grow.c:6".
std::string where(const SiteVerdict& site) {
  std::string text = site.at.function.empty() ? site.key : site.at.function;
  if (!site.at.file.empty()) {
    text += " at " + std::filesystem::path(site.at.file).filename().string();
    if (site.at.line > 0) text += ":" + std::to_string(site.at.line);
  }
  return text;
}

std::string site_numbers(const SiteVerdict& site, double confidence) {
  std::string text = fmt::format("live bytes grow by {}/s ({:.0f}% CI {}/s .. {}/s)", core::format_bytes(site.slope_per_s),
                                 100.0 * confidence, core::format_bytes(site.ci_low), core::format_bytes(site.ci_high));
  if (site.rss_share) text += fmt::format(", {:.0f}% of the RSS slope", 100.0 * *site.rss_share);
  text += fmt::format(", {:.0f} allocations/s, {} live at the end", site.allocations_per_s,
                      core::format_bytes(static_cast<double>(site.live_end)));
  return text;
}

// A growth series of the doctor's variant, its slopes per second.
struct SeriesNumbers {
  double slope = 0, intercept = 0, ci_low = 0, ci_high = 0, threshold = 0;
};
core::GrowthSeries doctor_series(std::string metric, std::string unit, const SeriesNumbers& numbers,
                                 std::vector<core::SamplePoint> samples, bool grows) {
  core::GrowthSeries series;
  series.variant = "doctor";
  series.metric = std::move(metric);
  series.unit = std::move(unit);
  series.axis = core::GrowthAxis::Second;
  series.slope_per_iteration = numbers.slope;
  series.intercept = numbers.intercept;
  series.ci_low = numbers.ci_low;
  series.ci_high = numbers.ci_high;
  series.threshold = numbers.threshold;
  series.samples = std::move(samples);
  series.verdict = grows ? core::GrowthVerdict::Fail : core::GrowthVerdict::Ok;
  return series;
}

core::GrowthSeries series_of(const SiteVerdict& site) {
  auto series = doctor_series(site_metric(site), "bytes",
                              {site.slope_per_s, site.intercept, site.ci_low, site.ci_high, site.threshold_per_s},
                              site.samples, site.trend == SiteTrend::Growing);
  core::GrowthSite at;
  at.function = site.at.function;
  at.file = site.at.file;
  at.line = site.at.line;
  at.slope_per_iteration = site.slope_per_s;
  at.last_bytes = site.live_end > 0 ? static_cast<std::uint64_t>(site.live_end) : 0;
  series.sites.push_back(at);
  return series;
}

}  // namespace

std::string site_metric(const SiteVerdict& site) {
  return "live bytes at " + site.key;
}

core::Report to_report(const Diagnosis& diagnosis, const ObservedProcess& process, const SiteRecording& sites,
                       const analyze::AnalysisInputs& inputs) {
  core::VariantOutcome outcome;
  auto& variant = outcome.result;
  variant.name = "doctor";
  variant.tool = core::Tool::Doctor;
  variant.status = core::VariantStatus::Ok;
  variant.duration_s = process.duration_s;
  variant.command = process.command;
  variant.repro = process.repro.empty() ? "plumb doctor -- " + process.command : process.repro;
  variant.note = fmt::format(
      "x axis: seconds since the start; slopes per second; {:.1f} s warm-up; activity {} "
      "({:.2f} cores){}{}",
      diagnosis.warmup_s, to_string(diagnosis.activity), diagnosis.cpu_cores,
      process.exited_early ? "; the process exited before the duration was up" : "",
      diagnosis.conclusive ? "" : "; " + diagnosis.inconclusive_reason);
  for (const auto& note : sites.notes) variant.note += "; " + note;
  if (!diagnosis.conclusive) outcome.errors.push_back("inconclusive: " + diagnosis.inconclusive_reason);
  outcome.errors.insert(outcome.errors.end(), sites.errors.begin(), sites.errors.end());
  variant.logs.insert(variant.logs.end(), process.logs.begin(), process.logs.end());
  if (!sites.trace_log.empty()) variant.logs.push_back(sites.trace_log);
  variant.logs.insert(variant.logs.end(), sites.logs.begin(), sites.logs.end());

  // What /proc said: one series per metric, a finding per growing one.
  core::ParsedLog proc;
  proc.path = process.command;
  proc.reporter = core::Reporter::Doctor;
  proc.result.recognised = true;
  for (const auto& m : diagnosis.metrics) {
    proc.result.growth.push_back(doctor_series(m.metric, m.unit,
                                               {m.slope_per_s, m.intercept, m.ci_low, m.ci_high, m.threshold_per_s},
                                               m.samples, m.growing));
    if (!m.growing) continue;
    // analyze's one builder, in the doctor's words: per second, from the first value to the last.
    core::Finding finding = analyze::growth_finding(proc.result.growth.back(), core::Reporter::Doctor);
    finding.detail = m.metric + " growth";
    finding.message = problem_of(m);
    proc.result.findings.push_back(std::move(finding));
  }
  outcome.logs.push_back(std::move(proc));

  // What heaptrack recorded: a series per reported site, a finding per growing one.
  if (sites.analysis != nullptr) {
    const auto& analysis = *sites.analysis;
    core::ParsedLog trace;
    trace.path = sites.trace_log;
    trace.reporter = core::Reporter::Heaptrack;
    trace.result.recognised = true;
    trace.result.complete = analysis.complete;
    trace.result.incomplete_reason = analysis.incomplete_reason;
    std::size_t context = 0;
    for (const auto& site : analysis.sites) {
      if (site.trend != SiteTrend::Growing && context++ >= kContextSites) continue;
      trace.result.growth.push_back(series_of(site));
      if (site.trend != SiteTrend::Growing) continue;
      // analyze's one builder, with what only heaptrack knows: the site's whole stack and live bytes.
      core::Finding finding = analyze::growth_finding(trace.result.growth.back(), core::Reporter::Heaptrack);
      finding.detail = "live bytes growth";
      finding.frames = site.stack;
      finding.bytes = site.live_end > 0 ? static_cast<std::uint64_t>(site.live_end) : 0;
      finding.message = where(site) + ": " + site_numbers(site, analysis.confidence);
      trace.result.findings.push_back(std::move(finding));
    }
    outcome.logs.push_back(std::move(trace));
  }
  auto analysis_inputs = inputs;
  if (analysis_inputs.generated_at.empty()) analysis_inputs.generated_at = process.generated_at;
  if (analysis_inputs.run_id.empty()) analysis_inputs.run_id = process.run_id;
  std::vector<core::VariantOutcome> outcomes;
  outcomes.push_back(std::move(outcome));
  return analyze::analyze(std::move(outcomes), analysis_inputs);
}

core::Report to_report(const Diagnosis& diagnosis, const ObservedProcess& process) {
  return to_report(diagnosis, process, SiteRecording{}, analyze::AnalysisInputs{});
}

std::vector<std::string> describe_sites(const SiteAnalysis& analysis, std::size_t max_sites) {
  std::vector<std::string> lines;
  std::size_t growing = 0;
  std::size_t plateaus = 0;
  std::size_t churn = 0;
  const SiteVerdict* top_plateau = nullptr;
  const SiteVerdict* top_churn = nullptr;
  for (const auto& site : analysis.sites) {
    switch (site.trend) {
      case SiteTrend::Growing:
        if (growing++ == 0) lines.emplace_back("growing allocation sites (live bytes rising to the end, largest slope first):");
        if (growing > max_sites) break;
        lines.push_back(fmt::format("  {}. {}: {}", growing, where(site), site_numbers(site, analysis.confidence)));
        {
          // From the frame the site is at outwards; the allocator and library frames inside it counted.
          const auto at = std::find(site.stack.begin(), site.stack.end(), site.at);
          const auto first = at == site.stack.end() ? site.stack.begin() : at;
          if (first != site.stack.begin()) {
            lines.push_back(fmt::format("       (inside it: {} allocator and library frame(s), innermost {})",
                                        first - site.stack.begin(), site.stack.front().function));
          }
          for (auto frame = first; frame != site.stack.end() && frame - first < 8; ++frame) {
            lines.push_back(fmt::format("       {} {}{}", frame == first ? "at" : "by",
                                        frame->function.empty() ? "?" : frame->function,
                                        frame->file.empty() ? std::string()
                                                            : fmt::format(" ({}:{})", frame->file, frame->line)));
          }
        }
        break;
      case SiteTrend::Plateau:
        if (plateaus++ == 0) top_plateau = &site;
        break;
      case SiteTrend::Churn:
        if (churn++ == 0) top_churn = &site;
        break;
      case SiteTrend::Steady: break;
    }
  }
  if (growing == 0) lines.emplace_back("no growing allocation site");
  if (growing > max_sites) lines.push_back(fmt::format("  ... and {} more (report.json)", growing - max_sites));
  if (top_plateau != nullptr) {
    lines.push_back(fmt::format("  not growing: {} site(s) rose and stopped, largest {} ({} live)", plateaus,
                                where(*top_plateau), core::format_bytes(static_cast<double>(top_plateau->live_end))));
  }
  if (top_churn != nullptr) {
    lines.push_back(fmt::format("  not growing: {} site(s) allocate and free, busiest {} ({:.0f} allocations/s)", churn,
                                where(*top_churn), top_churn->allocations_per_s));
  }
  lines.push_back(fmt::format("  recorded {:.1f} s: {} allocations, {} frees{}", analysis.recorded_s,
                              analysis.summary.allocations, analysis.summary.frees,
                              analysis.complete ? "" : "; incomplete: " + analysis.incomplete_reason));
  return lines;
}

}  // namespace plumb::doctor

#include "parse_result_json.hpp"

namespace plumb::parse {
namespace {

using nlohmann::ordered_json;

ordered_json stack_json(const std::vector<core::Frame>& frames) {
  ordered_json out = ordered_json::array();
  for (const auto& frame : frames) {
    out.push_back(
        {{"function", frame.function}, {"file", frame.file}, {"line", frame.line}, {"object", frame.object}});
  }
  return out;
}

ordered_json finding_json(const core::Finding& finding) {
  ordered_json related = ordered_json::array();
  for (const auto& stack : finding.related_stacks) {
    related.push_back(stack_json(stack));
  }
  ordered_json out = {{"kind", core::to_string(finding.kind)},
                      {"detail", finding.detail},
                      {"tools", finding.tools},
                      {"bytes", finding.bytes},
                      {"blocks", finding.blocks},
                      {"occurrences", finding.occurrences},
                      {"message", finding.message},
                      {"frames", stack_json(finding.frames)},
                      {"related_stacks", related},
                      {"stack_labels", finding.stack_labels}};
  if (!finding.address.empty()) {  // What the tool said of the address touched.
    out["address"] = finding.address;
  }
  if (!finding.metric.empty()) {  // The growth series the finding stands for.
    out["metric"] = finding.metric;
  }
  return out;
}

ordered_json growth_json(const core::GrowthSeries& series) {
  ordered_json samples = ordered_json::array();
  for (const auto& point : series.samples) {
    samples.push_back(ordered_json::array({point.iteration, point.value}));
  }
  ordered_json sites = ordered_json::array();
  for (const auto& site : series.sites) {
    sites.push_back({{"function", site.function},
                     {"file", site.file},
                     {"line", site.line},
                     {"slope_per_iteration", site.slope_per_iteration},
                     {"last_bytes", site.last_bytes}});
  }
  return {{"metric", series.metric},
          {"unit", series.unit},
          {"slope_per_iteration", series.slope_per_iteration},
          {"intercept", series.intercept},
          {"ci_low", series.ci_low},
          {"ci_high", series.ci_high},
          {"threshold", series.threshold},
          {"verdict", core::to_string(series.verdict)},
          {"samples", samples},
          {"sites", sites}};
}

}  // namespace

ordered_json parse_result_to_json(const core::ParseResult& result) {
  ordered_json findings = ordered_json::array();
  for (const auto& finding : result.findings) {
    findings.push_back(finding_json(finding));
  }
  ordered_json growth = ordered_json::array();
  for (const auto& series : result.growth) {
    growth.push_back(growth_json(series));
  }
  ordered_json suppressions = ordered_json::array();
  for (const auto& use : result.tool_suppressions) {
    suppressions.push_back({{"name", use.name}, {"count", use.count}});
  }
  return {{"recognised", result.recognised},
          {"complete", result.complete},
          {"incomplete_reason", result.incomplete_reason},
          {"warnings", result.warnings},
          {"tool_suppressions", suppressions},
          {"findings", findings},
          {"growth", growth}};
}

}  // namespace plumb::parse

#include "parse_result_json.hpp"

#include <initializer_list>

#include "plumb/core/report_json.hpp"

namespace plumb::parse {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// The fields `keys` of report.json's `object`, in that order: every value is written by
// core/report_json; the golden form only chooses which a parser sets and their order.
ordered_json pick(const json& object, std::initializer_list<const char*> keys) {
  ordered_json out = ordered_json::object();
  for (const char* key : keys) out[key] = object.at(key);
  return out;
}

// A stack's frames as a parser sees them (the library a frame belongs to is analysis's).
ordered_json stack(const json& frames) {
  ordered_json out = ordered_json::array();
  for (const auto& frame : frames) out.push_back(pick(frame, {"function", "file", "line", "object"}));
  return out;
}

ordered_json finding_json(const core::Finding& finding) {
  const json full = core::to_json(finding);
  ordered_json out = pick(full, {"kind", "detail", "tools", "bytes", "blocks", "occurrences", "message"});
  out["frames"] = stack(full.at("frames"));
  ordered_json related = ordered_json::array();
  for (const auto& frames : full.at("related_stacks")) related.push_back(stack(frames));
  out["related_stacks"] = related;
  out["stack_labels"] = full.at("stack_labels");
  if (!finding.address.empty()) out["address"] = full.at("address");  // What the tool said of the address.
  if (!finding.metric.empty()) out["metric"] = full.at("metric");     // The growth series it stands for.
  return out;
}

ordered_json growth_json(const core::GrowthSeries& series) {
  const json full = core::to_json(series);
  ordered_json out = pick(full, {"metric", "unit", "axis", "slope_per_iteration", "intercept", "ci_low", "ci_high",
                                 "threshold", "verdict", "samples"});
  ordered_json sites = ordered_json::array();
  for (const auto& site : full.at("sites")) {
    sites.push_back(pick(site, {"function", "file", "line", "slope_per_iteration", "last_bytes"}));
  }
  out["sites"] = sites;
  return out;
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

#include "plumb/reports/sarif.hpp"

#include <nlohmann/json.hpp>

#include "plumb/reports/escape.hpp"
#include "format.hpp"

namespace plumb::reports {
namespace {

using nlohmann::json;

constexpr const char* kSarifSchema = "https://json.schemastore.org/sarif-2.1.0.json";
constexpr const char* kSourceRoot = "SRCROOT";
constexpr const char* kFingerprintKey = "plumb/v1";

std::string_view default_level(core::FindingKind kind) {
  return kind == core::FindingKind::LeakReachable ? "note" : "error";
}

// Only a finding the gate counts against the run is an error; the rest are notes.
std::string result_level(const core::Finding& finding) {
  if (core::is_gating(finding)) {
    return "error";
  }
  return finding.disposition == core::Disposition::KindNotGating ? "warning" : "note";
}

// A SARIF location for one frame; the physical part only when the frame names a file.
json frame_location_json(const core::Frame& frame) {
  json location = json::object();
  if (!frame.file.empty()) {
    json artifact;
    if (frame.file.front() == '/') {
      // Analysis made every path inside the source root relative: this one is outside it.
      artifact["uri"] = "file://" + percent_encode_path(frame.file);
      artifact["properties"] = {{"outsideSourceRoot", true}};
    } else {
      artifact["uri"] = percent_encode_path(frame.file);
      artifact["uriBaseId"] = kSourceRoot;
    }
    json physical = {{"artifactLocation", artifact}};
    if (frame.line > 0) {
      physical["region"] = {{"startLine", frame.line}};
    }
    location["physicalLocation"] = physical;
  }
  if (!frame.function.empty()) {
    location["logicalLocations"] =
        json::array({{{"fullyQualifiedName", frame.function}, {"kind", "function"}}});
  }
  if (!frame.object.empty()) {
    location["properties"] = {{"object", frame.object}};
  }
  return location;
}

// A thread flow in execution order (outermost call first), as SARIF orders them.
json thread_flow(const std::vector<core::Frame>& frames, const std::string& title) {
  json locations = json::array();
  for (auto it = frames.rbegin(); it != frames.rend(); ++it) {
    json location = frame_location_json(*it);
    location["message"] = {{"text", it->function.empty() ? std::string("??") : it->function}};
    locations.push_back({{"location", location}});
  }
  return {{"message", {{"text", title}}}, {"locations", locations}};
}

json rules() {
  json out = json::array();
  for (const auto kind : core::kAllFindingKinds) {
    const std::string id(core::to_string(kind));
    out.push_back(
        {{"id", id},
         {"name", id},
         {"shortDescription", {{"text", std::string(kind_title(kind))}}},
         {"fullDescription", {{"text", std::string(kind_title(kind)) + " (plumb finding kind " + id + ")."}}},
         {"defaultConfiguration", {{"level", default_level(kind)}}},
         {"properties", {{"tags", json::array({"memory", "plumb"})}}}});
  }
  return out;
}

int rule_index(core::FindingKind kind) {
  int index = 0;
  for (const auto candidate : core::kAllFindingKinds) {
    if (candidate == kind) {
      return index;
    }
    ++index;
  }
  return -1;
}

// One result per finding (each call path is a location code scanning tracks); the site it belongs to
// (report.sites) in its properties: how many paths reach it and the site's totals.
json result_json(const core::Finding& finding, const core::Site& site) {
  const std::string kind(core::to_string(finding.kind));
  std::string text = finding.message.empty() ? std::string(kind_title(finding.kind)) : finding.message;
  if (const std::string identity = describe_identity(finding); !identity.empty()) {
    text += " (" + identity + ")";
  }
  json result = {{"ruleId", kind},
                 {"ruleIndex", rule_index(finding.kind)},
                 {"kind", "fail"},
                 {"level", result_level(finding)},
                 {"message", {{"text", text}}}};
  json locations = json::array();
  if (const auto* top = core::at_frame(finding)) {
    locations.push_back(frame_location_json(*top));
  }
  result["locations"] = locations;
  json flows = json::array();
  if (!finding.frames.empty()) {
    flows.push_back(thread_flow(
        finding.frames,
        "stack reported by " +
            (finding.tools.empty() ? std::string("the tool") : std::string(core::name_of(finding.tools.front())))));
  }
  json related = json::array();
  for (std::size_t i = 0; i < finding.related_stacks.size(); ++i) {
    const auto& stack = finding.related_stacks[i];
    if (stack.empty()) {
      continue;
    }
    const std::string title = i + 1 < finding.stack_labels.size() && !finding.stack_labels[i + 1].empty()
                                  ? finding.stack_labels[i + 1]
                                  : "related stack " + std::to_string(i + 1);
    flows.push_back(thread_flow(stack, title));
    if (const auto* top = core::at_frame(stack)) {
      json location = frame_location_json(*top);
      location["id"] = static_cast<int>(i);
      location["message"] = {{"text", "related stack " + std::to_string(i + 1) + ": " + top->function}};
      related.push_back(location);
    }
  }
  if (!flows.empty()) {
    result["codeFlows"] = json::array({{{"threadFlows", flows}}});
  }
  if (!related.empty()) {
    result["relatedLocations"] = related;
  }
  if (!finding.fingerprint.empty()) {
    result["partialFingerprints"] = {{kFingerprintKey, finding.fingerprint}};
  }
  if (finding.status == core::FindingStatus::Suppressed) {
    result["suppressions"] = json::array(
        {{{"kind", "external"},
          {"status", "accepted"},
          {"justification", "suppressed by plumb suppression entry " + finding.suppression.value_or("?")}}});
  } else if (finding.status == core::FindingStatus::Baseline) {
    result["suppressions"] = json::array({{{"kind", "external"},
                                           {"status", "accepted"},
                                           {"justification", "accepted in the plumb baseline"}}});
  } else if (finding.disposition == core::Disposition::CanaryExpected) {
    result["suppressions"] = json::array(
        {{{"kind", "external"},
          {"status", "accepted"},
          {"justification", "planted on purpose in a canary variant, to prove the tool is alive"}}});
  }
  result["baselineState"] = finding.status == core::FindingStatus::New ? "new" : "unchanged";
  result["properties"] = {{"status", std::string(core::to_string(finding.status))},
                          {"disposition", std::string(core::to_string(finding.disposition))},
                          {"detail", finding.detail},
                          {"tools", core::names_of(finding.tools)},
                          {"variants", finding.variants},
                          {"bytes", finding.bytes},
                          {"blocks", finding.blocks},
                          {"site", {{"paths", site.findings.size()},
                                    {"bytes", site.bytes},
                                    {"blocks", site.blocks},
                                    {"occurrences", site.occurrences},
                                    {"disposition", std::string(core::to_string(site.disposition))}}}};
  return result;
}

json invocations(const core::Report& report) {
  json out = json::array();
  for (const auto& variant : report.variants) {
    // A run that could not be judged did not execute successfully; a failing one did.
    json invocation = {{"executionSuccessful", variant.verdict != core::Verdict::Error},
                       {"properties",
                        {{"variant", variant.name},
                         {"tool", std::string(core::name_of(variant.tool))},
                         {"status", std::string(core::to_string(variant.status))},
                         {"verdict", std::string(core::to_string(variant.verdict))},
                         {"caught", variant.caught},
                         {"duration_s", variant.duration_s}}}};
    json notifications = json::array();
    for (const auto& error : variant.errors) {
      notifications.push_back({{"level", "error"}, {"message", {{"text", error}}}});
    }
    if (!notifications.empty()) {
      invocation["toolExecutionNotifications"] = notifications;
    }
    if (!variant.command.empty()) {
      invocation["commandLine"] = variant.command;
    }
    if (variant.exit_code) {
      invocation["exitCode"] = *variant.exit_code;
    }
    out.push_back(invocation);
  }
  if (out.empty()) {
    out.push_back({{"executionSuccessful", report.verdict != core::Verdict::Error}});
  }
  return out;
}

}  // namespace

std::string render_sarif(const core::Report& report) {
  json results = json::array();
  for (const core::Site& site : report.sites) {
    for (const std::size_t index : site.findings) {
      results.push_back(result_json(report.findings.at(index), site));
    }
  }
  json reasons = json::array();
  for (const auto& reason : report.reasons) {
    reasons.push_back({{"verdict", std::string(core::to_string(reason.verdict))}, {"text", reason.text}});
  }
  json driver = {{"name", "plumb"}};
  if (!report.plumb_version.empty()) {
    // "0.1.0 (git 1a2b3c)": the whole string is the version, its first word the semantic version.
    driver["version"] = report.plumb_version;
    driver["semanticVersion"] = report.plumb_version.substr(0, report.plumb_version.find(' '));
  }
  driver["rules"] = rules();
  json run = {
      {"tool", {{"driver", driver}}},
      {"originalUriBaseIds", {{kSourceRoot, {{"description", {{"text", "The root of the source tree"}}}}}}},
      {"invocations", invocations(report)},
      {"results", results},
      {"properties", {{"verdict", std::string(core::to_string(report.verdict))}, {"reasons", reasons}}}};
  if (!report.run_id.empty()) {
    run["automationDetails"] = {{"guid", report.run_id}};  // the report set's run id
  }
  if (report.shard) {
    run["properties"]["shard"] = describe_shard(*report.shard);
  }
  if (!report.truncated.empty()) {
    json truncated = json::array();
    for (const auto& truncation : report.truncated) {
      truncated.push_back(describe_truncation(truncation));
    }
    run["properties"]["truncated"] = truncated;  // results past the cap: counted, not listed
  }
  json log = {{"$schema", kSarifSchema}, {"version", "2.1.0"}, {"runs", json::array({run})}};
  return log.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace plumb::reports

#include "plumb/core/report_json.hpp"

#include <iterator>

#include "plumb/core/errors.hpp"
#include "plumb/core/json_text.hpp"

namespace plumb::core {
namespace {

using nlohmann::json;

json frame_to_json(const Frame& frame) {
  return {{"function", frame.function},
          {"file", frame.file},
          {"line", frame.line},
          {"object", frame.object},
          {"library", frame.library}};
}

json stack_to_json(const std::vector<Frame>& frames) {
  json out = json::array();
  for (const auto& frame : frames) {
    out.push_back(frame_to_json(frame));
  }
  return out;
}

json finding_to_json(const Finding& finding) {
  json related = json::array();
  for (const auto& stack : finding.related_stacks) {
    related.push_back(stack_to_json(stack));
  }
  json out = {{"fingerprint", finding.fingerprint},
              {"kind", to_string(finding.kind)},
              {"detail", finding.detail},
              {"tools", names_of(finding.tools)},
              {"variants", finding.variants},
              {"bytes", finding.bytes},
              {"blocks", finding.blocks},
              {"occurrences", finding.occurrences},
              {"message", finding.message},
              {"site", finding.site},
              {"frames", stack_to_json(finding.frames)},
              {"related_stacks", related},
              {"stack_labels", finding.stack_labels},
              {"address", finding.address},
              {"class", to_string(finding.error_class)},
              {"access", to_string(finding.access)},
              {"allocator", finding.allocator},
              {"location", finding.location},
              {"metric", finding.metric},
              {"status", to_string(finding.status)},
              {"suppression", finding.suppression ? json(*finding.suppression) : json(nullptr)},
              {"gating", is_gating(finding)},
              {"disposition", to_string(finding.disposition)}};
  if (!finding.shares.empty()) {  // Seen by several sources: what each saw itself.
    json shares = json::array();
    for (const auto& share : finding.shares) {
      shares.push_back({{"tools", names_of(share.tools)},
                        {"variants", share.variants},
                        {"bytes", share.bytes},
                        {"blocks", share.blocks},
                        {"occurrences", share.occurrences}});
    }
    out["shares"] = shares;
  }
  if (finding.baseline_bytes) {  // A baselined leak that grew: what the baseline accepted.
    out["baseline_bytes"] = *finding.baseline_bytes;
    out["grown_bytes"] = finding.grown_bytes;
  }
  return out;
}

json variant_to_json(const VariantResult& variant) {
  json out = {{"name", variant.name},
              {"tool", name_of(variant.tool)},
              {"status", to_string(variant.status)},
              {"exit_code", variant.exit_code ? json(*variant.exit_code) : json(nullptr)},
              {"duration_s", variant.duration_s},
              {"command", variant.command},
              {"repro", variant.repro},
              {"logs", variant.logs},
              {"canary", variant.canary},
              {"note", variant.note},
              {"errors", variant.errors},
              {"caught", variant.caught},
              {"verdict", to_string(variant.verdict)}};
  if (variant.skipped_by_rule) {  // Skipped by its own rule: judged, not an error.
    out["skipped_by_rule"] = true;
  }
  if (!variant.suite.empty()) {  // One test of a CTest variant: which variant, which test.
    out["suite"] = variant.suite;
    out["test"] = variant.test;
  }
  if (variant.timed_out) {  // Killed at its limit: why, its native time, the way out.
    const TimeoutAccount& account = *variant.timed_out;
    out["timed_out"] = {{"limit_s", account.limit_s},
                        {"ctest_timeout_s", account.ctest_timeout_s},
                        {"slowdown", account.slowdown},
                        {"native_s", account.native_s ? json(*account.native_s) : json(nullptr)},
                        {"native_from", to_string(account.native_from)},
                        {"native_where", account.native_where},
                        {"run_alone", account.run_alone},
                        {"exclude", account.exclude},
                        {"exclude_config", account.exclude_config}};
  }
  return out;
}

json growth_to_json(const GrowthSeries& series) {
  json samples = json::array();
  for (const auto& point : series.samples) {
    samples.push_back(json::array({point.iteration, point.value}));
  }
  json sites = json::array();
  for (const auto& site : series.sites) {
    sites.push_back({{"function", site.function},
                     {"file", site.file},
                     {"line", site.line},
                     {"slope_per_iteration", site.slope_per_iteration},
                     {"last_bytes", site.last_bytes}});
  }
  return {{"variant", series.variant},
          {"metric", series.metric},
          {"unit", series.unit},
          {"axis", to_string(series.axis)},
          {"slope_per_iteration", series.slope_per_iteration},
          {"intercept", series.intercept},
          {"ci_low", series.ci_low},
          {"ci_high", series.ci_high},
          {"threshold", series.threshold},
          {"samples", samples},
          {"verdict", to_string(series.verdict)},
          {"gating", series.gating},
          {"finding", series.finding},
          {"sites", sites}};
}

// Reads a field, naming the report and the JSON path in the error when it is missing or mistyped.
template <typename T>
T field(const json& object, const char* key, const std::string& where) {
  const auto it = object.find(key);
  if (it == object.end()) {
    throw UsageError(where + ": missing field \"" + key + "\"");
  }
  try {
    return it->get<T>();
  } catch (const json::exception& error) {
    throw UsageError(where + ": field \"" + key + "\": " + error.what());
  }
}

template <typename T>
T optional_field(const json& object, const char* key, T fallback, const std::string& where) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    return fallback;
  }
  return field<T>(object, key, where);
}

Frame frame_from_json(const json& object, const std::string& where) {
  Frame frame;
  frame.function = optional_field<std::string>(object, "function", "", where);
  frame.file = optional_field<std::string>(object, "file", "", where);
  frame.line = optional_field<int>(object, "line", 0, where);
  frame.object = optional_field<std::string>(object, "object", "", where);
  frame.library = optional_field<bool>(object, "library", false, where);
  return frame;
}

std::vector<Frame> stack_from_json(const json& array, const std::string& where) {
  std::vector<Frame> frames;
  if (!array.is_array()) {
    throw UsageError(where + ": expected an array of frames");
  }
  for (const auto& frame : array) {
    frames.push_back(frame_from_json(frame, where));
  }
  return frames;
}

// The reporters a finding's "tools" field names; an unknown name is an error naming them all.
std::vector<Reporter> reporters_from_json(const json& object, const std::string& where) {
  std::vector<Reporter> reporters;
  for (const auto& name : optional_field<std::vector<std::string>>(object, "tools", {}, where)) {
    const std::optional<Reporter> reporter = reporter_named(name);
    if (!reporter) {
      throw UsageError(where + ": unknown tool \"" + name + "\" in \"tools\" (expected " +
                       spelled_list(reporter_names()) + ")");
    }
    reporters.push_back(*reporter);
  }
  return reporters;
}

Finding finding_from_json(const json& object, const std::string& where) {
  Finding finding;
  finding.fingerprint = field<std::string>(object, "fingerprint", where);
  const auto kind_text = field<std::string>(object, "kind", where);
  const auto kind = parse_finding_kind(kind_text);
  if (!kind) {
    throw UsageError(where + ": unknown finding kind \"" + kind_text + "\"");
  }
  finding.kind = *kind;
  finding.detail = optional_field<std::string>(object, "detail", "", where);
  finding.tools = reporters_from_json(object, where);
  finding.variants = optional_field<std::vector<std::string>>(object, "variants", {}, where);
  finding.bytes = optional_field<std::uint64_t>(object, "bytes", 0, where);
  finding.blocks = optional_field<std::uint64_t>(object, "blocks", 0, where);
  finding.occurrences = optional_field<std::uint64_t>(object, "occurrences", 1, where);
  if (object.contains("shares")) {
    if (!object.at("shares").is_array()) {
      throw UsageError(where + ": \"shares\" must be an array");
    }
    for (const json& share : object.at("shares")) {
      if (!share.is_object()) {
        throw UsageError(where + ": a \"shares\" entry must be an object");
      }
      finding.shares.push_back(
          FindingShare{reporters_from_json(share, where),
                       optional_field<std::vector<std::string>>(share, "variants", {}, where),
                       optional_field<std::uint64_t>(share, "bytes", 0, where),
                       optional_field<std::uint64_t>(share, "blocks", 0, where),
                       optional_field<std::uint64_t>(share, "occurrences", 0, where)});
    }
  }
  finding.message = optional_field<std::string>(object, "message", "", where);
  finding.site = optional_field<std::string>(object, "site", "", where);
  if (object.contains("frames")) {
    finding.frames = stack_from_json(object.at("frames"), where);
  }
  finding.stack_labels = optional_field<std::vector<std::string>>(object, "stack_labels", {}, where);
  finding.address = optional_field<std::string>(object, "address", "", where);
  const auto class_text = optional_field<std::string>(object, "class", "", where);
  const auto error_class = parse_error_class(class_text);
  if (!error_class) {
    throw UsageError(where + ": unknown error class \"" + class_text + "\"");
  }
  finding.error_class = *error_class;
  const auto access_text = optional_field<std::string>(object, "access", "", where);
  const auto access = parse_access(access_text);
  if (!access) {
    throw UsageError(where + ": unknown access \"" + access_text + "\"");
  }
  finding.access = *access;
  finding.allocator = optional_field<std::string>(object, "allocator", "", where);
  finding.location = optional_field<std::string>(object, "location", "", where);
  finding.metric = optional_field<std::string>(object, "metric", "", where);
  if (object.contains("baseline_bytes")) {
    finding.baseline_bytes = optional_field<std::uint64_t>(object, "baseline_bytes", 0, where);
    finding.grown_bytes = optional_field<std::uint64_t>(object, "grown_bytes", 0, where);
  }
  if (object.contains("related_stacks")) {
    for (const auto& stack : object.at("related_stacks")) {
      finding.related_stacks.push_back(stack_from_json(stack, where));
    }
  }
  const auto status_text = optional_field<std::string>(object, "status", "new", where);
  const auto status = parse_finding_status(status_text);
  if (!status) {
    throw UsageError(where + ": unknown finding status \"" + status_text + "\"");
  }
  finding.status = *status;
  if (object.contains("suppression") && !object.at("suppression").is_null()) {
    finding.suppression = field<std::string>(object, "suppression", where);
  }
  // Schema 1 has no disposition: the gate of whoever reads it decides again.
  const auto disposition_text = optional_field<std::string>(object, "disposition", "gating", where);
  const auto disposition = parse_disposition(disposition_text);
  if (!disposition) {
    throw UsageError(where + ": unknown finding disposition \"" + disposition_text + "\"");
  }
  finding.disposition = *disposition;
  return finding;
}

VariantResult variant_from_json(const json& object, const std::string& where) {
  VariantResult variant;
  variant.name = field<std::string>(object, "name", where);
  const std::string tool = field<std::string>(object, "tool", where);
  const std::optional<Tool> known = tool_named(tool);
  if (!known) {
    std::vector<std::string> names = tool_names();  // those that run programs, then the doctor's watch
    names.emplace_back(name_of(Tool::Doctor));
    throw UsageError(where + ": unknown tool '" + tool + "' (expected " + spelled_list(names) + ")");
  }
  variant.tool = *known;
  variant.suite = optional_field<std::string>(object, "suite", "", where);
  variant.test = optional_field<std::string>(object, "test", "", where);
  variant.skipped_by_rule = optional_field<bool>(object, "skipped_by_rule", false, where);
  const auto status_text = field<std::string>(object, "status", where);
  const auto status = parse_variant_status(status_text);
  if (!status) {
    throw UsageError(where + ": unknown variant status \"" + status_text + "\"");
  }
  variant.status = *status;
  if (object.contains("exit_code") && !object.at("exit_code").is_null()) {
    variant.exit_code = field<int>(object, "exit_code", where);
  }
  variant.duration_s = optional_field<double>(object, "duration_s", 0.0, where);
  variant.command = optional_field<std::string>(object, "command", "", where);
  variant.repro = optional_field<std::string>(object, "repro", "", where);
  variant.logs = optional_field<std::vector<std::string>>(object, "logs", {}, where);
  variant.canary = optional_field<bool>(object, "canary", false, where);
  variant.note = optional_field<std::string>(object, "note", "", where);
  if (object.contains("timed_out")) {
    const json& timed_out = object.at("timed_out");
    const std::string inner = where + ".timed_out";
    TimeoutAccount account;
    account.limit_s = optional_field<double>(timed_out, "limit_s", 0.0, inner);
    account.ctest_timeout_s = optional_field<double>(timed_out, "ctest_timeout_s", 0.0, inner);
    account.slowdown = optional_field<double>(timed_out, "slowdown", 1.0, inner);
    if (timed_out.contains("native_s") && !timed_out.at("native_s").is_null()) {
      account.native_s = field<double>(timed_out, "native_s", inner);
    }
    const auto source_text = optional_field<std::string>(timed_out, "native_from", "unknown", inner);
    const auto source = parse_native_time_source(source_text);
    if (!source) {
      throw UsageError(inner + ": unknown native time source \"" + source_text + "\"");
    }
    account.native_from = *source;
    account.native_where = optional_field<std::string>(timed_out, "native_where", "", inner);
    account.run_alone = optional_field<std::string>(timed_out, "run_alone", "", inner);
    account.exclude = optional_field<std::string>(timed_out, "exclude", "", inner);
    account.exclude_config = optional_field<std::string>(timed_out, "exclude_config", "", inner);
    variant.timed_out = account;
  }
  variant.errors = optional_field<std::vector<std::string>>(object, "errors", {}, where);
  variant.caught = optional_field<std::vector<std::string>>(object, "caught", {}, where);
  const auto verdict_text = optional_field<std::string>(object, "verdict", "error", where);
  const auto verdict = parse_verdict(verdict_text);
  if (!verdict) {
    throw UsageError(where + ": unknown variant verdict \"" + verdict_text + "\"");
  }
  variant.verdict = *verdict;
  return variant;
}

GrowthSeries growth_from_json(const json& object, const std::string& where) {
  GrowthSeries series;
  series.variant = optional_field<std::string>(object, "variant", "", where);
  series.metric = field<std::string>(object, "metric", where);
  series.unit = optional_field<std::string>(object, "unit", "", where);
  // A report written before the axis was recorded sampled iterations.
  const auto axis_text = optional_field<std::string>(object, "axis", "iteration", where);
  const auto axis = parse_growth_axis(axis_text);
  if (!axis) {
    throw UsageError(where + ": axis must be iteration, snapshot or second, got \"" + axis_text + "\"");
  }
  series.axis = *axis;
  series.slope_per_iteration = field<double>(object, "slope_per_iteration", where);
  series.intercept = optional_field<double>(object, "intercept", 0.0, where);
  series.ci_low = optional_field<double>(object, "ci_low", 0.0, where);
  series.ci_high = optional_field<double>(object, "ci_high", 0.0, where);
  series.threshold = optional_field<double>(object, "threshold", 0.0, where);
  const auto verdict_text = optional_field<std::string>(object, "verdict", "ok", where);
  const auto verdict = parse_growth_verdict(verdict_text);
  if (!verdict) {
    throw UsageError(where + ": verdict must be ok or fail, got \"" + verdict_text + "\"");
  }
  series.verdict = *verdict;
  series.gating = optional_field<bool>(object, "gating", false, where);
  series.finding = optional_field<std::string>(object, "finding", "", where);
  if (object.contains("samples")) {
    for (const auto& point : object.at("samples")) {
      if (!point.is_array() || point.size() != 2) {
        throw UsageError(where + ": a growth sample must be [iteration, value]");
      }
      series.samples.push_back({point[0].get<double>(), point[1].get<double>()});
    }
  }
  if (object.contains("sites")) {
    for (const auto& site_json : object.at("sites")) {
      GrowthSite site;
      site.function = optional_field<std::string>(site_json, "function", "", where);
      site.file = optional_field<std::string>(site_json, "file", "", where);
      site.line = optional_field<int>(site_json, "line", 0, where);
      site.slope_per_iteration = optional_field<double>(site_json, "slope_per_iteration", 0.0, where);
      site.last_bytes = optional_field<std::uint64_t>(site_json, "last_bytes", 0, where);
      series.sites.push_back(site);
    }
  }
  return series;
}

json shard_to_json(const ShardRecord& shard) {
  json runs = json::array();
  for (const auto& run : shard.runs) {
    json logs = json::array();
    for (const auto& log : run.logs) {
      logs.push_back({{"path", log.path},
                      {"parser", log.format ? json(name_of(*log.format)) : json("")},
                      {"foreign", log.foreign}});
    }
    runs.push_back({{"position", run.position},
                    {"result", variant_to_json(run.result)},
                    {"logs", logs},
                    {"expects_output", run.expects_output},
                    {"signal", run.signal},
                    {"exit_code_only", run.exit_code_only},
                    {"killed_by_plumb", run.killed_by_plumb},
                    {"errors", run.errors}});
  }
  return {{"index", shard.index},
          {"count", shard.count},
          {"balance", to_string(shard.balance)},
          {"timings_run_id", shard.timings_run_id},
          {"plan", shard.plan},
          {"plan_digest", shard.plan_digest},
          {"source_root", shard.source_root},
          {"runs", runs}};
}

ShardRecord shard_from_json(const json& object, const std::string& where) {
  if (!object.is_object()) {
    throw UsageError(where + ": must be an object");
  }
  ShardRecord shard;
  shard.index = field<int>(object, "index", where);
  shard.count = field<int>(object, "count", where);
  const auto balance_text = field<std::string>(object, "balance", where);
  const auto balance = parse_shard_balance(balance_text);
  if (!balance) {
    throw UsageError(where + ": unknown balance \"" + balance_text + "\" (expected count or timings)");
  }
  shard.balance = *balance;
  shard.timings_run_id = optional_field<std::string>(object, "timings_run_id", "", where);
  shard.plan = field<std::vector<std::string>>(object, "plan", where);
  shard.plan_digest = field<std::string>(object, "plan_digest", where);
  shard.source_root = optional_field<std::string>(object, "source_root", "", where);
  for (const auto& run_json : object.value("runs", json::array())) {
    RecordedRun run;
    run.position = field<std::size_t>(run_json, "position", where + ": runs");
    if (!run_json.contains("result")) {
      throw UsageError(where + ": runs: missing field \"result\"");
    }
    run.result = variant_from_json(run_json.at("result"), where + ": runs: result");
    for (const auto& log_json : run_json.value("logs", json::array())) {
      const auto parser = field<std::string>(log_json, "parser", where + ": runs: logs");
      std::optional<LogFormat> format;
      if (!parser.empty()) {
        format = log_format_named(parser);
        if (!format) {
          throw UsageError(where + ": runs: logs: unknown parser \"" + parser + "\" (expected " +
                           spelled_list(log_format_names()) + ")");
        }
      }
      run.logs.push_back(RecordedLog{field<std::string>(log_json, "path", where + ": runs: logs"), format,
                                     optional_field<bool>(log_json, "foreign", false, where)});
    }
    run.expects_output = optional_field<bool>(run_json, "expects_output", true, where);
    run.signal = optional_field<int>(run_json, "signal", 0, where);
    run.exit_code_only = optional_field<bool>(run_json, "exit_code_only", false, where);
    run.killed_by_plumb = optional_field<bool>(run_json, "killed_by_plumb", false, where);
    run.errors = optional_field<std::vector<std::string>>(run_json, "errors", {}, where);
    shard.runs.push_back(std::move(run));
  }
  return shard;
}

}  // namespace

nlohmann::json to_json(const Report& report) {
  json variants = json::array();
  for (const auto& variant : report.variants) {
    variants.push_back(variant_to_json(variant));
  }
  json findings = json::array();
  for (const auto& finding : report.findings) {
    findings.push_back(finding_to_json(finding));
  }
  json growth = json::array();
  for (const auto& series : report.growth) {
    growth.push_back(growth_to_json(series));
  }
  json suppressions = json::array();
  for (const auto& use : report.suppressions) {
    suppressions.push_back({{"id", use.id},
                            {"hits", use.hits},
                            {"stale", use.stale},
                            {"expired", use.expired},
                            {"reason", use.reason}});
  }
  json reasons = json::array();
  for (const auto& reason : report.reasons) {
    reasons.push_back(
        {{"verdict", to_string(reason.verdict)}, {"variant", reason.variant}, {"text", reason.text}});
  }
  json truncated = json::array();
  for (const auto& t : report.truncated) {
    truncated.push_back({{"kind", to_string(t.kind)},
                         {"kept", t.kept},
                         {"dropped", t.dropped},
                         {"dropped_new", t.dropped_new},
                         {"dropped_bytes", t.dropped_bytes},
                         {"dropped_occurrences", t.dropped_occurrences}});
  }
  // The sites are derived (group_sites over the findings); written for readers of the file, rebuilt
  // from the findings when a report is read.
  json sites = json::array();
  for (const Site& site : report.sites) {
    json members = json::array();
    for (const std::size_t index : site.findings) {
      members.push_back(report.findings.at(index).fingerprint);
    }
    sites.push_back({{"kind", to_string(site.kind)},
                     {"site", report.findings.at(site.findings.front()).site},
                     {"findings", members},
                     {"bytes", site.bytes},
                     {"blocks", site.blocks},
                     {"occurrences", site.occurrences},
                     {"gating", site.gating},
                     {"disposition", to_string(site.disposition)}});
  }
  json document = {{"schema", kReportSchema},
          {"plumb_version", report.plumb_version},
          {"verdict", to_string(report.verdict)},
          {"exit_code", exit_code_of(report.verdict)},
          {"identity", report.identity},
          {"variants", variants},
          {"findings", findings},
          {"sites", sites},
          {"growth", growth},
          {"suppressions", suppressions},
          {"errors", report.errors},
          {"reasons", reasons},
          {"generated_at", report.generated_at},
          {"run_id", report.run_id},
          {"truncated", truncated}};
  if (report.shard) {
    document["shard"] = shard_to_json(*report.shard);
  }
  return document;
}

json to_json(const Finding& finding) {
  return finding_to_json(finding);
}

json to_json(const GrowthSeries& series) {
  return growth_to_json(series);
}

Report report_from_json(const nlohmann::json& document, const std::string& source) {
  if (!document.is_object()) {
    throw UsageError(source + ": a report must be a JSON object");
  }
  const auto schema = optional_field<std::string>(document, "schema", "", source);
  if (schema != kReportSchema && schema != kReportSchemaV1) {
    throw UsageError(source + ": unsupported report schema \"" + schema + "\" (expected " +
                     std::string(kReportSchema) + " or " + std::string(kReportSchemaV1) + ")");
  }
  Report report;
  const auto verdict_text = field<std::string>(document, "verdict", source);
  const auto verdict = parse_verdict(verdict_text);
  if (!verdict) {
    throw UsageError(source + ": unknown verdict \"" + verdict_text + "\"");
  }
  report.verdict = *verdict;
  for (const auto& variant : document.value("variants", json::array())) {
    report.variants.push_back(variant_from_json(variant, source + ": variants"));
  }
  for (const auto& finding : document.value("findings", json::array())) {
    report.findings.push_back(finding_from_json(finding, source + ": findings"));
  }
  for (const auto& series : document.value("growth", json::array())) {
    report.growth.push_back(growth_from_json(series, source + ": growth"));
  }
  report.sites = group_sites(report.findings);
  for (const auto& use_json : document.value("suppressions", json::array())) {
    SuppressionUse use;
    use.id = field<std::string>(use_json, "id", source + ": suppressions");
    use.hits = optional_field<std::uint64_t>(use_json, "hits", 0, source);
    use.stale = optional_field<bool>(use_json, "stale", false, source);
    use.expired = optional_field<bool>(use_json, "expired", false, source);
    use.reason = optional_field<std::string>(use_json, "reason", "", source);
    report.suppressions.push_back(use);
  }
  report.errors = optional_field<std::vector<std::string>>(document, "errors", {}, source);
  for (const auto& entry : document.value("truncated", json::array())) {
    Truncation truncation;
    const auto kind_text = field<std::string>(entry, "kind", source + ": truncated");
    const auto kind = parse_finding_kind(kind_text);
    if (!kind) {
      throw UsageError(source + ": truncated: unknown kind \"" + kind_text + "\"");
    }
    truncation.kind = *kind;
    truncation.kept = optional_field<std::uint64_t>(entry, "kept", 0, source);
    truncation.dropped = optional_field<std::uint64_t>(entry, "dropped", 0, source);
    truncation.dropped_new = optional_field<std::uint64_t>(entry, "dropped_new", 0, source);
    truncation.dropped_bytes = optional_field<std::uint64_t>(entry, "dropped_bytes", 0, source);
    truncation.dropped_occurrences = optional_field<std::uint64_t>(entry, "dropped_occurrences", 0, source);
    report.truncated.push_back(truncation);
  }
  report.identity = optional_field<int>(document, "identity", schema == kReportSchemaV1 ? 1 : 0, source);
  if (schema == kReportSchemaV1) {
    // Schema 1: reasons were plain lines of a failed gate; variants had no verdict of their own.
    for (const auto& text : optional_field<std::vector<std::string>>(document, "gate_reasons", {}, source)) {
      report.reasons.push_back({Verdict::Fail, "", text});
    }
  } else {
    for (const auto& reason_json : document.value("reasons", json::array())) {
      VerdictReason reason;
      const auto text = field<std::string>(reason_json, "verdict", source + ": reasons");
      const auto parsed = parse_verdict(text);
      if (!parsed || *parsed == Verdict::Pass) {
        throw UsageError(source + ": reasons: a reason's verdict must be fail or error, got \"" + text +
                         "\"");
      }
      reason.verdict = *parsed;
      reason.variant = optional_field<std::string>(reason_json, "variant", "", source);
      reason.text = field<std::string>(reason_json, "text", source + ": reasons");
      report.reasons.push_back(std::move(reason));
    }
  }
  report.generated_at = optional_field<std::string>(document, "generated_at", "", source);
  report.run_id = optional_field<std::string>(document, "run_id", "", source);
  report.plumb_version = optional_field<std::string>(document, "plumb_version", "", source);
  if (document.contains("shard")) {
    report.shard = shard_from_json(document.at("shard"), source + ": shard");
  }
  return report;
}

Report read_report(std::istream& in, const std::string& source) {
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  return report_from_json(parse_json_text(text, source), source);
}

}  // namespace plumb::core

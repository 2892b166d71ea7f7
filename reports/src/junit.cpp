#include "plumb/reports/junit.hpp"

#include <map>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "escape.hpp"
#include "format.hpp"

namespace plumb::reports {
namespace {

constexpr std::size_t kTopFrames = 5;
constexpr const char* kUnattributedSuite = "plumb";

// One <testsuite> under construction.
struct Suite {
  std::string name;
  std::string tool;
  double time = 0;
  std::size_t tests = 0, failures = 0, skipped = 0;
  std::string properties;
  std::string cases;
  std::set<std::string> fingerprints;  // Findings already listed, so a defect reported twice is one case.
};

std::string attr(std::string_view text) {
  return escape_xml(text, true);
}

std::string finding_case_name(const core::Finding& finding) {
  std::string name(core::to_string(finding.kind));
  if (const auto* top = top_user_frame(finding.frames)) {
    name += " in " + (top->function.empty() ? std::string("??") : top->function);
  }
  if (!finding.fingerprint.empty()) {
    name += " [" + finding.fingerprint.substr(0, 12) + "]";
  }
  return name;
}

std::string finding_failure(const core::Finding& finding) {
  const std::string kind(core::to_string(finding.kind));
  std::string message =
      kind + ": " + (finding.message.empty() ? std::string(kind_title(finding.kind)) : finding.message);
  if (!finding.fingerprint.empty()) {
    message += " (fingerprint " + finding.fingerprint + ")";
  }
  std::string body = "kind: " + kind + "\n";
  if (!finding.detail.empty()) {
    body += "detail: " + finding.detail + "\n";
  }
  body += "fingerprint: " + finding.fingerprint + "\n";
  if (finding.bytes > 0 || finding.blocks > 0) {
    body += fmt::format("size: {} bytes in {} blocks\n", finding.bytes, finding.blocks);
  }
  std::string tools;
  for (const auto& tool : finding.tools) {
    tools += (tools.empty() ? "" : ", ") + tool;
  }
  body += "tools: " + tools + "\n";
  body += "top frames:\n";
  for (std::size_t i = 0; i < finding.frames.size() && i < kTopFrames; ++i) {
    const auto& frame = finding.frames[i];
    const std::string location = frame_location(frame);
    body += fmt::format("  #{} {}{}\n", i, frame.function.empty() ? "??" : frame.function,
                        location.empty() ? "" : " " + location);
  }
  if (finding.frames.size() > kTopFrames) {
    body += fmt::format("  ... {} more frames\n", finding.frames.size() - kTopFrames);
  }
  return "<failure message=\"" + attr(message) + "\" type=\"" + attr(kind) + "\">" + escape_xml(body) +
         "</failure>";
}

void add_variant_case(Suite& suite, const core::VariantResult& variant) {
  const std::string status(core::to_string(variant.status));
  suite.time = variant.duration_s;
  ++suite.tests;
  suite.cases += "<testcase classname=\"" + attr("plumb." + variant.name) + "\" name=\"" +
                 attr("run " + variant.tool) + "\" time=\"" + fmt::format("{:.3f}", variant.duration_s) +
                 "\">";
  if (variant.status == core::VariantStatus::Skipped) {
    ++suite.skipped;
    suite.cases += "<skipped message=\"" + attr(variant.note.empty() ? "skipped" : variant.note) + "\"/>";
  } else if (variant.status != core::VariantStatus::Ok) {
    ++suite.failures;
    std::string message = "variant " + status;
    if (variant.exit_code) {
      message += " (exit code " + std::to_string(*variant.exit_code) + ")";
    }
    if (!variant.note.empty()) {
      message += ": " + variant.note;
    }
    std::string body = "status: " + status + "\n";
    body += "command: " + variant.command + "\nrepro: " + variant.repro + "\n";
    for (const auto& log : variant.logs) {
      body += "log: " + log + "\n";
    }
    suite.cases += "<failure message=\"" + attr(message) + "\" type=\"" + attr(status) + "\">" +
                   escape_xml(body) + "</failure>";
  }
  if (!variant.repro.empty()) {
    suite.cases += "<system-out>" + escape_xml(variant.repro) + "</system-out>";
  }
  suite.cases += "</testcase>";
}

void add_finding_case(Suite& suite, const core::Finding& finding) {
  if (!finding.fingerprint.empty() && !suite.fingerprints.insert(finding.fingerprint).second) {
    return;
  }
  ++suite.tests;
  ++suite.failures;
  suite.cases += "<testcase classname=\"" + attr("plumb." + suite.name) + "\" name=\"" +
                 attr(finding_case_name(finding)) + "\" time=\"0\">" + finding_failure(finding) +
                 "</testcase>";
}

void add_growth_case(Suite& suite, const core::GrowthSeries& series) {
  ++suite.tests;
  suite.cases += "<testcase classname=\"" + attr("plumb." + suite.name) + "\" name=\"" +
                 attr("growth " + series.metric) + "\" time=\"0\">";
  if (series.verdict == "fail") {
    ++suite.failures;
    const std::string message = series.metric + " grows " +
                                format_rate(series.slope_per_iteration, series.unit) + " (threshold " +
                                format_rate(series.threshold, series.unit) + ")";
    suite.cases += "<failure message=\"" + attr(message) + "\" type=\"heap.growth\">" +
                   escape_xml(fmt::format("slope: {}\nci: [{}, {}]\nthreshold: {}\nsamples: {}\n",
                                          series.slope_per_iteration, series.ci_low, series.ci_high,
                                          series.threshold, series.samples.size())) +
                   "</failure>";
  }
  suite.cases += "</testcase>";
}

}  // namespace

std::string render_junit(const core::Report& report) {
  std::vector<Suite> suites;
  std::map<std::string, std::size_t> suite_of;
  const auto suite_for = [&](const std::string& name) -> Suite& {
    const auto [it, inserted] = suite_of.emplace(name, suites.size());
    if (inserted) {
      Suite suite;
      suite.name = name;
      suites.push_back(std::move(suite));
    }
    return suites[it->second];
  };
  for (const auto& variant : report.variants) {
    Suite& suite = suite_for(variant.name);
    suite.tool = variant.tool;
    suite.properties += "<property name=\"tool\" value=\"" + attr(variant.tool) + "\"/>";
    if (!variant.command.empty()) {
      suite.properties += "<property name=\"command\" value=\"" + attr(variant.command) + "\"/>";
    }
    add_variant_case(suite, variant);
  }
  for (const auto& finding : report.findings) {
    if (!is_gating(finding)) {
      continue;
    }
    if (finding.variants.empty()) {
      add_finding_case(suite_for(kUnattributedSuite), finding);
    }
    for (const auto& variant : finding.variants) {
      add_finding_case(suite_for(variant), finding);
    }
  }
  for (const auto& series : report.growth) {
    add_growth_case(suite_for(series.variant.empty() ? kUnattributedSuite : series.variant), series);
  }
  std::size_t tests = 0, failures = 0, skipped = 0;
  double time = 0;
  std::string body;
  for (const auto& suite : suites) {
    tests += suite.tests;
    failures += suite.failures;
    skipped += suite.skipped;
    time += suite.time;
    body += "  <testsuite name=\"" + attr(suite.name) + "\" tests=\"" + std::to_string(suite.tests) +
            "\" failures=\"" + std::to_string(suite.failures) + "\" errors=\"0\" skipped=\"" +
            std::to_string(suite.skipped) + "\" time=\"" + fmt::format("{:.3f}", suite.time) + "\"";
    if (!report.generated_at.empty()) {
      body += " timestamp=\"" + attr(report.generated_at) + "\"";
    }
    body += ">\n";
    if (!suite.properties.empty()) {
      body += "    <properties>" + suite.properties + "</properties>\n";
    }
    body += "    " + suite.cases + "\n  </testsuite>\n";
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"plumb\" tests=\"" +
         std::to_string(tests) + "\" failures=\"" + std::to_string(failures) + "\" errors=\"0\" skipped=\"" +
         std::to_string(skipped) + "\" time=\"" + fmt::format("{:.3f}", time) + "\">\n" + body +
         "</testsuites>\n";
}

}  // namespace plumb::reports

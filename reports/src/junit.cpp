#include "plumb/reports/junit.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "plumb/reports/escape.hpp"
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
  std::size_t tests = 0, failures = 0, errors = 0, skipped = 0;
  std::string properties;
  std::string cases;
};

// A gating site as one run saw it (report.sites): one case, whichever number of call paths reach it.
struct SiteSeen {
  const core::Site* site = nullptr;
  std::vector<const core::Finding*> paths;  // Its gating findings in this run, the lead first.

  const core::Finding& lead() const { return *paths.front(); }
};

std::string attr(std::string_view text) {
  return escape_xml(text, true);
}

std::string finding_case_name(const core::Finding& finding) {
  std::string name(core::to_string(finding.kind));
  if (const auto* top = core::at_frame(finding)) {
    name += " in " + (top->function.empty() ? std::string("??") : top->function);
  }
  if (!finding.fingerprint.empty()) {
    name += " [" + finding.fingerprint.substr(0, 12) + "]";
  }
  return name;
}

// What a failure body says of a finding: kind, detail, fingerprint, site, size, tools, top frames.
std::string finding_text(const core::Finding& finding) {
  const std::string kind(core::to_string(finding.kind));
  std::string body = "kind: " + kind + "\n";
  if (!finding.detail.empty()) {
    body += "detail: " + finding.detail + "\n";
  }
  body += "fingerprint: " + finding.fingerprint + "\n";
  if (const std::string identity = describe_identity(finding); !identity.empty()) {
    body += "what: " + identity + "\n";
  }
  if (!finding.site.empty()) {
    body += "site: " + finding.site + "\n";
  }
  if (finding.occurrences > 1) {
    body += fmt::format("occurrences: {}\n", finding.occurrences);
  }
  if (finding.bytes > 0 || finding.blocks > 0) {
    body += fmt::format("size: {} bytes in {} blocks{}\n", finding.bytes, finding.blocks,
                        finding.shares.empty() ? ""
                                               : fmt::format(" (the largest of the {} runs that saw it)",
                                                             finding.shares.size()));
  }
  std::string tools;
  for (const core::Reporter tool : finding.tools) {
    tools += (tools.empty() ? "" : ", ") + std::string(core::name_of(tool));
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
  return body;
}

// What a case body adds for a site reached through several call paths: how many, the site's
// totals, and each further path's fingerprint and frame.
std::string paths_text(const SiteSeen& seen) {
  if (seen.site->findings.size() <= 1) {
    return "";
  }
  std::string body = fmt::format("call paths: {} to this site", seen.site->findings.size());
  if (seen.site->bytes > 0 || seen.site->blocks > 0) {
    body += fmt::format(", {} bytes in {} blocks in all", seen.site->bytes, seen.site->blocks);
  }
  body += fmt::format(" (the size above is path 1's)\n");
  // Each further path by the first frame where it leaves path 1's stack: what tells them apart.
  const auto& lead = seen.lead().frames;
  for (std::size_t i = 1; i < seen.paths.size(); ++i) {
    const core::Finding& path = *seen.paths[i];
    std::size_t at = 0;
    while (at < path.frames.size() && at < lead.size() && path.frames[at] == lead[at]) {
      ++at;
    }
    std::string via;
    if (at < path.frames.size()) {
      const std::string location = frame_location(path.frames[at]);
      via = " via " + (path.frames[at].function.empty() ? std::string("??") : path.frames[at].function) +
            (location.empty() ? "" : " " + location);
    }
    body += fmt::format("  path {}: {}{}\n", i + 1, path.fingerprint, via);
  }
  return body;
}

std::string site_failure(const SiteSeen& seen) {
  const core::Finding& finding = seen.lead();
  const std::string kind(core::to_string(finding.kind));
  std::string message = kind + ": " + tool_words(finding);
  if (seen.site->findings.size() > 1) {
    message += " [" + std::to_string(seen.site->findings.size()) + " call paths reach this site]";
  }
  if (!finding.fingerprint.empty()) {
    message += " (fingerprint " + finding.fingerprint + ")";
  }
  const std::string body = finding_text(finding) + paths_text(seen);
  return "<failure message=\"" + attr(message) + "\" type=\"" + attr(kind) + "\">" + escape_xml(body) +
         "</failure>";
}

std::string variant_body(const core::VariantResult& variant) {
  std::string body = "status: " + std::string(core::to_string(variant.status)) + "\n";
  body += "verdict: " + std::string(core::to_string(variant.verdict)) + "\n";
  for (const auto& error : variant.errors) {
    body += "error: " + error + "\n";
  }
  if (!variant.note.empty()) {
    body += "note: " + variant.note + "\n";
  }
  body += "command: " + variant.command + "\nrepro: " + variant.repro + "\n";
  for (const auto& log : variant.logs) {
    body += "log: " + log + "\n";
  }
  return body;
}

// One case per variant, reading the gate's verdict: error, failure, or a pass (a caught canary
// is a pass that says what it caught).
void add_variant_case(Suite& suite, const core::VariantResult& variant) {
  suite.time = variant.duration_s;
  ++suite.tests;
  suite.cases += "<testcase classname=\"" + attr("plumb." + variant.name) + "\" name=\"" +
                 attr((variant.canary ? "canary " : "run ") + std::string(core::name_of(variant.tool))) + "\" time=\"" +
                 fmt::format("{:.3f}", variant.duration_s) + "\">";
  std::string message = "variant " + std::string(core::to_string(variant.verdict));
  if (!variant.errors.empty()) {
    message += ": " + variant.errors.front();
  } else if (variant.status != core::VariantStatus::Ok && !variant.note.empty()) {
    message += ": " + variant.note;
  }
  const std::string status(core::to_string(variant.status));
  if (variant.verdict == core::Verdict::Error) {
    ++suite.errors;
    suite.cases += "<error message=\"" + attr(message) + "\" type=\"" + attr(status) + "\">" +
                   escape_xml(variant_body(variant)) + "</error>";
  } else if (variant.verdict == core::Verdict::Fail) {
    ++suite.failures;
    suite.cases += "<failure message=\"" + attr(message) + "\" type=\"" + attr(status) + "\">" +
                   escape_xml(variant_body(variant)) + "</failure>";
  }
  std::string out;
  for (const auto& caught : variant.caught) {
    out += "caught: " + caught + "\n";
  }
  out += variant.repro;
  if (!out.empty()) {
    suite.cases += "<system-out>" + escape_xml(out) + "</system-out>";
  }
  suite.cases += "</testcase>";
}

// One case per CTest test, as `ctest --output-junit` writes them: named by the test, failing with
// the gate's verdict and, in its body, the gating findings the test produced.
void add_test_case(Suite& suite, const core::VariantResult& test, const std::vector<SiteSeen>& found) {
  suite.time += test.duration_s;
  ++suite.tests;
  suite.cases += "<testcase classname=\"" + attr("plumb." + test.suite) + "\" name=\"" + attr(test.test) +
                 "\" time=\"" + fmt::format("{:.3f}", test.duration_s) + "\">";
  std::string message = "test " + std::string(core::to_string(test.verdict)) + " under " + std::string(core::name_of(test.tool));
  if (!test.errors.empty()) {
    message += ": " + test.errors.front();
  } else if (!found.empty()) {
    message += ": " + std::to_string(found.size()) + " gating site" + (found.size() == 1 ? "" : "s") +
               ", first " + finding_case_name(found.front().lead());
  } else if (test.status != core::VariantStatus::Ok && !test.note.empty()) {
    message += ": " + test.note;
  }
  // How the test itself ended, beside its findings (a test that failed on its own says so first).
  if (test.status != core::VariantStatus::Ok && !test.note.empty() &&
      message.find(test.note) == std::string::npos) {
    message += " (" + test.note + ")";
  }
  std::string body = variant_body(test);
  for (const SiteSeen& seen : found) {
    const core::Finding* finding = &seen.lead();
    body += "\n" + finding_case_name(*finding) + "\n";
    // Seen by several tests: this test's own amounts first; the size below is the largest one's.
    for (const core::FindingShare& share : finding->shares) {
      if (std::find(share.variants.begin(), share.variants.end(), test.name) != share.variants.end()) {
        body += fmt::format("in this test ({}): {} bytes in {} blocks, {} occurrence(s)\n",
                            fmt::join(core::names_of(share.tools), ", "), share.bytes, share.blocks, share.occurrences);
      }
    }
    body += finding_text(*finding) + paths_text(seen);
  }
  const std::string status(core::to_string(test.status));
  if (test.verdict == core::Verdict::Pass && test.skipped_by_rule) {
    ++suite.skipped;
    suite.cases += "<skipped message=\"" + attr(test.note) + "\"/>";
  } else if (test.verdict == core::Verdict::Error) {
    ++suite.errors;
    suite.cases += "<error message=\"" + attr(message) + "\" type=\"" + attr(status) + "\">" +
                   escape_xml(body) + "</error>";
  } else if (test.verdict == core::Verdict::Fail) {
    ++suite.failures;
    suite.cases += "<failure message=\"" + attr(message) + "\" type=\"" +
                   attr(found.empty() ? status : std::string(core::to_string(found.front().site->kind))) + "\">" +
                   escape_xml(body) + "</failure>";
  }
  suite.cases += "<system-out>" + escape_xml(test.repro) + "</system-out></testcase>";
}

// The run's own verdict as a case, so a report with no variant (or a run-level error) still says it.
void add_verdict_case(Suite& suite, const core::Report& report) {
  ++suite.tests;
  suite.cases += "<testcase classname=\"plumb\" name=\"verdict\" time=\"0\">";
  std::string body;
  for (const auto& reason : report.reasons) {
    body += std::string(core::to_string(reason.verdict)) + ": " + reason.text + "\n";
  }
  const std::string message = "verdict " + std::string(core::to_string(report.verdict)) +
                              (report.reasons.empty() ? "" : ": " + report.reasons.front().text);
  if (report.verdict == core::Verdict::Error) {
    ++suite.errors;
    suite.cases += "<error message=\"" + attr(message) + "\" type=\"error\">" + escape_xml(body) + "</error>";
  } else if (report.verdict == core::Verdict::Fail) {
    ++suite.failures;
    suite.cases +=
        "<failure message=\"" + attr(message) + "\" type=\"fail\">" + escape_xml(body) + "</failure>";
  }
  suite.cases += "</testcase>";
}

void add_site_case(Suite& suite, const SiteSeen& seen) {
  ++suite.tests;
  ++suite.failures;
  suite.cases += "<testcase classname=\"" + attr("plumb." + suite.name) + "\" name=\"" +
                 attr(finding_case_name(seen.lead())) + "\" time=\"0\">" + site_failure(seen) + "</testcase>";
}

void add_growth_case(Suite& suite, const core::GrowthSeries& series) {
  ++suite.tests;
  suite.cases += "<testcase classname=\"" + attr("plumb." + suite.name) + "\" name=\"" +
                 attr("growth " + series.metric) + "\" time=\"0\">";
  if (series.gating) {
    ++suite.failures;
    const std::string message = series.metric + " grows " +
                                format_rate(series.slope_per_iteration, series.unit, series.axis) +
                                " (threshold " + format_rate(series.threshold, series.unit, series.axis) + ")";
    suite.cases += "<failure message=\"" + attr(message) + "\" type=\"heap.growth\">" +
                   escape_xml(fmt::format("slope: {}\nci: [{}, {}]\nthreshold: {}\nsamples: {}\n",
                                          series.slope_per_iteration, series.ci_low, series.ci_high,
                                          series.threshold, series.samples.size()) +
                              (series.finding.empty() ? "" : "finding: " + series.finding + "\n")) +
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
  // Each gating site as each run saw it, in report order: a CTest test's go into its own case,
  // every other variant lists them as cases of its own.
  std::map<std::string, std::vector<SiteSeen>> seen_by;
  for (const core::Site& site : report.sites) {
    for (const std::size_t index : site.findings) {
      const core::Finding& finding = report.findings[index];
      if (!core::is_gating(finding)) {
        continue;
      }
      const std::vector<std::string> runs =
          finding.variants.empty() ? std::vector<std::string>{kUnattributedSuite} : finding.variants;
      for (const auto& run : runs) {
        auto& seen = seen_by[run];
        if (seen.empty() || seen.back().site != &site) {
          seen.push_back({&site, {}});
        }
        seen.back().paths.push_back(&finding);
      }
    }
  }
  for (const auto& variant : report.variants) {
    if (!variant.suite.empty()) {
      Suite& suite = suite_for(variant.suite);
      if (suite.tool.empty()) {
        suite.tool = core::name_of(variant.tool);
        suite.properties += "<property name=\"tool\" value=\"" + attr(core::name_of(variant.tool)) + "\"/>";
      }
      add_test_case(suite, variant, seen_by[variant.name]);
      continue;
    }
    Suite& suite = suite_for(variant.name);
    suite.tool = core::name_of(variant.tool);
    suite.properties += "<property name=\"tool\" value=\"" + attr(core::name_of(variant.tool)) + "\"/>";
    if (!variant.command.empty()) {
      suite.properties += "<property name=\"command\" value=\"" + attr(variant.command) + "\"/>";
    }
    add_variant_case(suite, variant);
  }
  for (const auto& entry : seen_by) {
    const std::string& run = entry.first;
    const bool a_test = std::any_of(report.variants.begin(), report.variants.end(),
                                    [&](const core::VariantResult& v) { return v.name == run && !v.suite.empty(); });
    if (a_test) {
      continue;
    }
    for (const SiteSeen& seen : entry.second) {
      add_site_case(suite_for(run), seen);
    }
  }
  for (const auto& series : report.growth) {
    add_growth_case(suite_for(series.variant.empty() ? kUnattributedSuite : series.variant), series);
  }
  add_verdict_case(suite_for(kUnattributedSuite), report);
  std::size_t tests = 0, failures = 0, errors = 0, skipped = 0;
  double time = 0;
  std::string body;
  for (const auto& suite : suites) {
    tests += suite.tests;
    failures += suite.failures;
    errors += suite.errors;
    skipped += suite.skipped;
    time += suite.time;
    body += "  <testsuite name=\"" + attr(suite.name) + "\" tests=\"" + std::to_string(suite.tests) +
            "\" failures=\"" + std::to_string(suite.failures) + "\" errors=\"" +
            std::to_string(suite.errors) + "\" skipped=\"" + std::to_string(suite.skipped) + "\" time=\"" +
            fmt::format("{:.3f}", suite.time) + "\"";
    if (!report.generated_at.empty()) {
      body += " timestamp=\"" + attr(report.generated_at) + "\"";
    }
    body += ">\n";
    // The run id ties this file to the rest of its report set (report.json's run_id).
    std::string truncated;
    for (const auto& truncation : report.truncated) {
      truncated +=
          "<property name=\"plumb.truncated\" value=\"" + attr(describe_truncation(truncation)) + "\"/>";
    }
    std::string made_by;  // which plumb wrote it, and which shard of a plan it is
    if (!report.plumb_version.empty()) {
      made_by += "<property name=\"plumb.version\" value=\"" + attr(report.plumb_version) + "\"/>";
    }
    if (report.shard) {
      made_by += "<property name=\"plumb.shard\" value=\"" + attr(describe_shard(*report.shard)) + "\"/>";
    }
    body += "    <properties><property name=\"plumb.run_id\" value=\"" + attr(report.run_id) + "\"/>" +
            made_by + truncated + suite.properties + "</properties>\n";
    body += "    " + suite.cases + "\n  </testsuite>\n";
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"plumb\" tests=\"" +
         std::to_string(tests) + "\" failures=\"" + std::to_string(failures) + "\" errors=\"" +
         std::to_string(errors) + "\" skipped=\"" + std::to_string(skipped) + "\" time=\"" +
         fmt::format("{:.3f}", time) + "\">\n" + body + "</testsuites>\n";
}

}  // namespace plumb::reports

#include <algorithm>
#include <map>
#include <string>

#include "plumb/reports/escape.hpp"
#include "format.hpp"
#include "html_sections.hpp"

namespace plumb::reports {

std::string finding_anchor(const core::Finding& finding) {
  std::string anchor = "finding-";
  for (const char c : finding.fingerprint) {
    if (anchor.size() < 24 && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
      anchor += c;
    }
  }
  // One identity may be shown as two kinds (a leak partly definitely, partly possibly lost).
  anchor += '-';
  for (const char c : core::to_string(finding.kind)) {
    anchor += c == '.' ? '-' : c;
  }
  return anchor;
}

namespace {

std::string render_logs(const core::VariantResult& variant) {
  if (variant.logs.empty()) {
    return "<span class=\"note\">none</span>";
  }
  std::string out = "<ul class=\"logs\">";
  for (const auto& log : variant.logs) {
    const auto href = relative_href(log);
    out += "<li>";
    if (href) {
      out += "<a href=\"" + escape_html(*href) + "\">" + escape_html(log) + "</a>";
    } else {
      out += "<span>" + escape_html(log) + "</span>";
    }
    out += "</li>";
  }
  return out + "</ul>";
}

std::string render_repro(const core::VariantResult& variant, std::size_t index) {
  const std::string& line = variant.repro.empty() ? variant.command : variant.repro;
  if (line.empty()) {
    return "<span class=\"note\">not recorded</span>";
  }
  const std::string id = "repro-" + std::to_string(index);
  return "<div class=\"repro\"><code id=\"" + id + "\">" + escape_html(line) +
         "</code><button type=\"button\" class=\"copy\" data-copy-target=\"" + id +
         "\" title=\"Copy the command to the clipboard\">Copy</button></div>";
}

}  // namespace

// The heading row of the CTest variant whose first test is report.variants[first]: its name,
// tool and how its tests came out.
std::string render_suite_row(const core::Report& report, std::size_t first) {
  const std::string& suite = report.variants[first].suite;
  std::size_t tests = 0;
  std::map<core::Verdict, std::size_t> by_verdict;
  for (std::size_t i = first; i < report.variants.size() && report.variants[i].suite == suite; ++i) {
    ++tests;
    ++by_verdict[report.variants[i].verdict];
  }
  std::string counts;
  for (const core::Verdict verdict : {core::Verdict::Pass, core::Verdict::Fail, core::Verdict::Error}) {
    if (by_verdict[verdict] > 0) {
      counts += ", " + std::to_string(by_verdict[verdict]) + " " + std::string(core::to_string(verdict));
    }
  }
  return "<tr class=\"suite\"><th colspan=\"8\"><span class=\"variant-name\">" + escape_html(suite) +
         "</span> <span class=\"badge tool\">" + escape_html(core::name_of(report.variants[first].tool)) +
         "</span> <span class=\"note\">CTest suite: " + std::to_string(tests) +
         (tests == 1 ? " test" : " tests") + counts + "</span></th></tr>";
}

// The findings one CTest test produced, each linked to its entry in the findings section.
std::string render_test_findings(const core::Report& report, const core::VariantResult& test) {
  std::string items;
  for (const core::Finding& finding : report.findings) {
    if (std::find(finding.variants.begin(), finding.variants.end(), test.name) == finding.variants.end()) {
      continue;
    }
    const core::Frame* at = core::at_frame(finding);
    const std::string label = std::string(core::to_string(finding.kind)) +
                              (at != nullptr && !at->function.empty() ? " at " + at->function : "");
    std::string own;  // This test's own amount, when several runs saw the finding.
    for (const core::FindingShare& share : finding.shares) {
      if (share.bytes > 0 &&
          std::find(share.variants.begin(), share.variants.end(), test.name) != share.variants.end()) {
        own = " <span class=\"note\">" + escape_html(format_bytes(static_cast<double>(share.bytes))) +
              " in " + std::to_string(share.blocks) + (share.blocks == 1 ? " block" : " blocks") +
              " here</span>";
      }
    }
    const std::string disposition(core::to_string(finding.disposition));
    items += "<li><span class=\"badge " + disposition + "\">" + disposition + "</span> " +
             (finding.fingerprint.empty() ? escape_html(label)
                                          : "<a href=\"#" + escape_html(finding_anchor(finding)) + "\">" +
                                                escape_html(label) + "</a>") +
             own + "</li>";
  }
  return items.empty() ? "" : "<ul class=\"test-findings\">" + items + "</ul>";
}

std::string render_variants_section(const core::Report& report) {
  std::string out = "<section class=\"panel\" id=\"variants\"><h2>Variants</h2>";
  if (report.variants.empty()) {
    return out + "<p class=\"empty\">No variant ran.</p></section>";
  }
  out +=
      "<table class=\"variants\"><thead><tr><th>Variant</th><th>Tool</th><th>Verdict</th><th>Status</th>"
      "<th class=\"num\">Duration</th><th class=\"num\">Exit</th><th>Reproduce</th><th>Raw logs</th>"
      "</tr></thead><tbody>";
  for (std::size_t i = 0; i < report.variants.size(); ++i) {
    const auto& variant = report.variants[i];
    const std::string status(core::to_string(variant.status));
    const std::string verdict(core::to_string(variant.verdict));
    // A CTest variant's tests follow one heading row: variants → tests → findings.
    if (!variant.suite.empty() && (i == 0 || report.variants[i - 1].suite != variant.suite)) {
      out += render_suite_row(report, i);
    }
    out += std::string("<tr class=\"variant") + (variant.suite.empty() ? "" : " test") + "\" data-status=\"" +
           escape_html(status) + "\" data-verdict=\"" + verdict + "\">";
    if (variant.suite.empty()) {
      out += "<td><span class=\"variant-name\">" + escape_html(variant.name) + "</span>";
    } else {
      out += "<td><span class=\"test-name\" title=\"CTest test of " + escape_html(variant.suite) + "\">" +
             escape_html(variant.test) + "</span>" + render_test_findings(report, variant);
    }
    if (variant.canary) {
      out += " <span class=\"badge\" title=\"A known defect that proves the tool is alive\">canary</span>";
    }
    out += "</td><td><span class=\"badge tool\">" + escape_html(core::name_of(variant.tool)) + "</span></td>";
    out += "<td><span class=\"badge " + verdict + "\">" + verdict + "</span>";
    for (const auto& caught : variant.caught) {
      out += "<div class=\"caught\">caught: " + escape_html(caught) + "</div>";
    }
    for (const auto& error : variant.errors) {
      out += "<div class=\"error-note\">" + escape_html(error) + "</div>";
    }
    out += "</td><td><span class=\"badge status-" + escape_html(status) + "\">" + escape_html(status) +
           "</span>";
    if (!variant.note.empty()) {
      out += "<div class=\"note\">" + escape_html(variant.note) + "</div>";
    }
    out += "</td><td class=\"num\">" + escape_html(format_duration(variant.duration_s)) + "</td>";
    out += "<td class=\"num\">" +
           (variant.exit_code ? std::to_string(*variant.exit_code) : std::string("—")) + "</td>";
    out += "<td>" + render_repro(variant, i) + "</td>";
    out += "<td>" + render_logs(variant) + "</td></tr>";
  }
  return out + "</tbody></table></section>";
}

std::string render_canaries_section(const core::Report& report) {
  std::string rows;
  for (const auto& variant : report.variants) {
    if (!variant.canary) {
      continue;
    }
    const bool caught = !variant.caught.empty();
    rows += std::string("<li class=\"canary ") + (caught ? "caught" : "silent") + "\" data-variant=\"" +
            escape_html(variant.name) + "\"><span class=\"badge " + (caught ? "pass" : "error") + "\">" +
            (caught ? "caught" : "silent") + "</span> <b>" + escape_html(variant.name) + "</b> (" +
            escape_html(core::name_of(variant.tool)) + ")";
    if (caught) {
      std::string items;
      for (const auto& item : variant.caught) {
        items += (items.empty() ? "" : "; ") + item;
      }
      rows += ": caught " + escape_html(items);
    } else if (variant.status == core::VariantStatus::Skipped) {
      rows += ": not run";
    } else {
      rows += ": its tool reported nothing, so nothing proves the tool works";
    }
    rows += "</li>";
  }
  if (rows.empty()) {
    return "";
  }
  return "<section class=\"panel\" id=\"canaries\"><h2>Canaries <span class=\"note\">(planted defects "
         "that prove each tool is alive; expected, not findings to act on)</span></h2><ul "
         "class=\"canaries\">" +
         rows + "</ul></section>";
}

std::string render_suppressions_section(const core::Report& report) {
  std::string out = "<section class=\"panel\" id=\"suppressions\"><h2>Suppressions</h2>";
  if (report.suppressions.empty()) {
    return out + "<p class=\"empty\">No suppression entries were loaded.</p></section>";
  }
  out +=
      "<table class=\"suppressions\"><thead><tr><th>Entry</th><th>Reason</th><th class=\"num\">Hits</th>"
      "<th>State</th></tr></thead><tbody>";
  for (const auto& use : report.suppressions) {
    std::string state;
    if (use.expired) {
      state += "<span class=\"badge expired\" title=\"Its expiry date has passed\">expired</span> ";
    }
    if (use.stale) {
      state += "<span class=\"badge stale\" title=\"No finding matched it in this run\">stale</span>";
    } else {
      state += "<span class=\"badge used\">used</span>";
    }
    out += "<tr class=\"suppression\"><td><code>" + escape_html(use.id) + "</code></td><td>" +
           escape_html(use.reason) + "</td><td class=\"num\">" + std::to_string(use.hits) + "</td><td>" +
           state + "</td></tr>";
  }
  return out + "</tbody></table></section>";
}

}  // namespace plumb::reports

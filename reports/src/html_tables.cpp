#include <string>

#include "escape.hpp"
#include "format.hpp"
#include "html_sections.hpp"

namespace plumb::reports {
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
    out +=
        "<tr class=\"variant\" data-status=\"" + escape_html(status) + "\" data-verdict=\"" + verdict + "\">";
    out += "<td><span class=\"variant-name\">" + escape_html(variant.name) + "</span>";
    if (variant.canary) {
      out += " <span class=\"badge\" title=\"A known defect that proves the tool is alive\">canary</span>";
    }
    out += "</td><td><span class=\"badge tool\">" + escape_html(variant.tool) + "</span></td>";
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
            escape_html(variant.tool) + ")";
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

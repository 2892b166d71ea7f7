#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "plumb/reports/escape.hpp"
#include "format.hpp"
#include "html_sections.hpp"

namespace plumb::reports {
namespace {

using core::Finding;

// One site of the report with its findings resolved: what a card shows.
struct SiteCard {
  const core::Site& site;
  std::vector<const Finding*> members;  // Its call paths, the lead first.

  const Finding& lead() const { return *members.front(); }
};

SiteCard card_of(const core::Report& report, const core::Site& site) {
  SiteCard card{site, {}};
  for (const std::size_t index : site.findings) {
    card.members.push_back(&report.findings.at(index));
  }
  return card;
}

std::set<std::string> union_of(const SiteCard& group, std::vector<std::string> Finding::*field) {
  std::set<std::string> values;
  for (const auto* member : group.members) {
    values.insert((member->*field).begin(), (member->*field).end());
  }
  return values;
}

std::string joined(const std::set<std::string>& values, const char* separator) {
  std::string out;
  for (const auto& value : values) {
    out += (out.empty() ? "" : separator) + value;
  }
  return out;
}

std::string render_frames(const std::vector<core::Frame>& frames) {
  std::string out = "<ol class=\"frames\">";
  for (const auto& frame : frames) {
    out += std::string(frame.library ? "<li class=\"lib\" title=\"library code\">" : "<li>") +
           "<span class=\"fn\">" + escape_html(frame.function.empty() ? "??" : frame.function) + "</span>";
    const std::string location = frame_location(frame);
    if (!location.empty()) {
      out += " <span class=\"loc\">" + escape_html(location) + "</span>";
    }
    if (!frame.object.empty()) {
      out += " <span class=\"obj\">(" + escape_html(frame.object) + ")</span>";
    }
    out += "</li>";
  }
  return out + "</ol>";
}

std::string render_stack(const std::string& title, const std::vector<core::Frame>& frames, bool open) {
  if (frames.empty()) {
    return "";
  }
  return std::string("<details class=\"stack\"") + (open ? " open" : "") + "><summary>" + escape_html(title) +
         " (" + std::to_string(frames.size()) + " frames)</summary>" + render_frames(frames) + "</details>";
}

std::string meta_item(const std::string& term, const std::string& escaped_value) {
  return "<div><dt>" + term + "</dt><dd>" + escaped_value + "</dd></div>";
}

// "24 B in 1 block", "5.0 MiB in 686 blocks".
std::string size_text(std::uint64_t bytes, std::uint64_t blocks) {
  return escape_html(format_bytes(static_cast<double>(bytes))) + " in " + std::to_string(blocks) +
         (blocks == 1 ? " block" : " blocks");
}

std::string render_group(const SiteCard& group) {
  const Finding& lead = group.lead();
  const std::string kind(core::to_string(lead.kind));
  const std::string status(core::to_string(lead.disposition));
  std::set<std::string> tools;
  for (const auto* member : group.members) {
    const auto names = core::names_of(member->tools);
    tools.insert(names.begin(), names.end());
  }
  const auto variants = union_of(group, &Finding::variants);

  std::string out =
      "<article class=\"finding disposition-" + status + "\" data-kind=\"" + escape_html(kind) +
      "\" data-status=\"" + escape_html(status) + "\" data-tools=\"" + escape_html(joined(tools, " ")) +
      "\" data-fingerprint=\"" + escape_html(lead.fingerprint) + "\" data-paths=\"" +
      std::to_string(group.members.size()) + "\" data-bytes=\"" + std::to_string(group.site.bytes) + "\"" +
      (lead.fingerprint.empty() ? std::string() : " id=\"" + escape_html(finding_anchor(lead)) + "\"") + ">";
  out += "<div class=\"finding-head\"><span class=\"badge " + status + "\" title=\"" +
         escape_html(disposition_label(lead)) + "\">" + status + "</span>";
  out += "<span class=\"badge kind\" title=\"" + escape_html(kind_title(lead.kind)) + "\">" +
         escape_html(kind) + "</span>";
  if (!lead.detail.empty() && lead.detail != kind) {
    out += "<span class=\"badge\">" + escape_html(lead.detail) + "</span>";
  }
  for (const auto& tool : tools) {
    out += "<span class=\"badge tool\">" + escape_html(tool) + "</span>";
  }
  // The card speaks for the whole site; what one call path's tool said is under that path's stack.
  const std::size_t paths = group.members.size();
  const std::string message =
      paths > 1 ? std::to_string(paths) + " call paths reach this site" : tool_words(lead);
  out += "<div class=\"finding-message\">" + escape_html(message) + "</div></div>";
  const std::string all_paths = paths > 1 ? " (all " + std::to_string(paths) + " paths)" : "";

  out += "<dl class=\"finding-meta\">";
  if (const std::string identity = describe_identity(lead); !identity.empty()) {
    out += meta_item("what", escape_html(identity));
  }
  if (const auto* top = core::at_frame(lead)) {
    const std::string location = frame_location(*top);
    out += meta_item("at", "<code>" + escape_html(top->function) + "</code>" +
                               (location.empty() ? "" : " <code>" + escape_html(location) + "</code>"));
  }
  if (group.site.bytes > 0 || group.site.blocks > 0) {
    out += meta_item("size" + all_paths, size_text(group.site.bytes, group.site.blocks));
  }
  if (!variants.empty()) {
    out += meta_item("variants", escape_html(joined(variants, ", ")));
  }
  if (group.site.occurrences > 1) {
    out += meta_item("occurrences" + all_paths, std::to_string(group.site.occurrences));
  }
  out += meta_item("gate", escape_html(disposition_label(lead)) +
                               (paths > 1 && group.site.gating > 0 && group.site.gating < paths
                                    ? " (" + std::to_string(group.site.gating) + " of " + std::to_string(paths) +
                                          " paths)"
                                    : std::string()));
  if (!lead.fingerprint.empty()) {
    out += meta_item(paths > 1 ? "fingerprint (path 1)" : "fingerprint",
                     "<code>" + escape_html(lead.fingerprint) + "</code>");
  }
  if (paths > 1) {
    out += meta_item("paths", std::to_string(paths) + " distinct call paths, one site");
  }
  out += "</dl>";

  const bool open = core::is_gating(lead);
  for (std::size_t m = 0; m < group.members.size(); ++m) {
    const Finding& member = *group.members[m];
    const std::vector<std::string> member_tools = core::names_of(member.tools);
    const auto label = [&](std::size_t index, const std::string& fallback) {
      return index < member.stack_labels.size() && !member.stack_labels[index].empty()
                 ? member.stack_labels[index]
                 : fallback;
    };
    std::string title = label(0, "Stack");
    if (paths > 1) {
      // This path's own numbers and words, labelled as one path's.
      title = "Path " + std::to_string(m + 1) + " of " + std::to_string(paths) + " — " +
              joined(std::set<std::string>(member_tools.begin(), member_tools.end()), ", ") + " [" +
              member.fingerprint + "]" +
              (member.bytes > 0 || member.blocks > 0 ? " — " + size_text(member.bytes, member.blocks) : "") +
              (member.message.empty() ? "" : ": " + tool_words(member)) + " — " + title;
    }
    out += render_stack(title, member.frames, open && m == 0);
    for (std::size_t r = 0; r < member.related_stacks.size(); ++r) {
      out += render_stack(label(r + 1, "Related stack " + std::to_string(r + 1)), member.related_stacks[r],
                          false);
    }
  }
  return out + "</article>";
}

std::string render_kind_summary(const core::Report& report) {
  static constexpr core::Disposition kColumns[] = {
      core::Disposition::Gating, core::Disposition::KindNotGating, core::Disposition::CanaryExpected,
      core::Disposition::Baseline, core::Disposition::Suppressed};
  std::string out =
      "<table class=\"kind-summary\"><thead><tr><th>Kind</th><th>What it means</th><th "
      "class=\"num\">Gating</th>"
      "<th class=\"num\">Not gating</th><th class=\"num\">Canary</th><th class=\"num\">Baseline</th>"
      "<th class=\"num\">Suppressed</th><th class=\"num\">Sites</th></tr></thead><tbody>";
  for (const auto& [kind, total] : count_sites_by_kind(report)) {
    const std::string name(core::to_string(kind));
    out += "<tr data-kind=\"" + name + "\" data-count=\"" + std::to_string(total) +
           "\"><td><span class=\"badge kind\">" + name + "</span></td><td>" + escape_html(kind_title(kind)) +
           "</td>";
    for (const auto column : kColumns) {
      std::size_t count = 0;
      for (const auto& site : report.sites) {
        count += site.kind == kind && site.disposition == column ? 1 : 0;
      }
      out += "<td class=\"num\">" + std::to_string(count) + "</td>";
    }
    out += "<td class=\"num\"><b>" + std::to_string(total) + "</b></td></tr>";
  }
  return out + "</tbody></table>";
}

std::string render_select(const char* id, const char* label, const std::vector<std::string>& values) {
  std::string out =
      std::string("<label>") + label + "<select id=\"" + id + "\"><option value=\"\">All</option>";
  for (const auto& value : values) {
    out += "<option value=\"" + escape_html(value) + "\">" + escape_html(value) + "</option>";
  }
  return out + "</select></label>";
}

std::string render_filters(const core::Report& report) {
  std::vector<std::string> kinds;
  for (const auto& [kind, count] : count_sites_by_kind(report)) {
    kinds.emplace_back(core::to_string(kind));
  }
  std::set<std::string> tool_set;
  std::set<core::Disposition> status_set;
  for (const auto& finding : report.findings) {
    for (const core::Reporter tool : finding.tools) {
      tool_set.emplace(core::name_of(tool));
    }
    status_set.insert(finding.disposition);
  }
  std::vector<std::string> statuses;
  for (const auto status : status_set) {
    statuses.emplace_back(core::to_string(status));
  }
  return "<div class=\"filters\" role=\"search\">" + render_select("filter-kind", "Kind", kinds) +
         render_select("filter-status", "Gate", statuses) +
         render_select("filter-tool", "Tool", {tool_set.begin(), tool_set.end()}) +
         "<label>Search<input type=\"search\" id=\"filter-search\" placeholder=\"function, file, message, "
         "fingerprint…\" autocomplete=\"off\"></label><span class=\"filter-count\" id=\"filter-count\" "
         "aria-live=\"polite\"></span></div>";
}

}  // namespace

std::string render_findings_section(const core::Report& report) {
  const auto& groups = report.sites;
  std::string out = "<section class=\"panel\" id=\"findings\"><h2>Findings <span class=\"note\">(" +
                    std::to_string(groups.size()) + (groups.size() == 1 ? " site" : " sites") + ", " +
                    std::to_string(report.findings.size()) + " findings)</span></h2>";
  if (report.findings.empty()) {
    return out + "<p class=\"empty\">No tool reported a finding.</p></section>";
  }
  for (const auto& truncation : report.truncated) {
    out += "<p class=\"truncated\">" + escape_html(describe_truncation(truncation)) + "</p>";
  }
  out += render_kind_summary(report);
  out += render_filters(report);
  out += "<div class=\"finding-list\">";
  for (const auto& site : report.sites) {
    out += render_group(card_of(report, site));
  }
  return out + "</div></section>";
}

}  // namespace plumb::reports

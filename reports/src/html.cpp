#include "plumb/reports/html.hpp"

#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "plumb/core/report_json.hpp"

#include "assets.hpp"
#include "plumb/reports/csp.hpp"
#include "plumb/reports/escape.hpp"
#include "format.hpp"
#include "html_sections.hpp"

namespace plumb::reports {
namespace {

std::string stat_chip(std::size_t value, const std::string& label) {
  return "<li><b>" + std::to_string(value) + "</b><span>" + label + "</span></li>";
}

std::string render_banner(const core::Report& report) {
  const std::string verdict(core::to_string(report.verdict));
  std::size_t accepted = 0, passed_variants = 0, error_variants = 0, gating_growth = 0;
  std::size_t canaries = 0, caught = 0, gating_sites = 0;
  for (const auto& site : report.sites) {
    gating_sites += site.disposition == core::Disposition::Gating ? 1 : 0;
    accepted += site.disposition == core::Disposition::Baseline || site.disposition == core::Disposition::Suppressed
                    ? 1
                    : 0;
  }
  for (const auto& variant : report.variants) {
    passed_variants += variant.verdict == core::Verdict::Pass ? 1 : 0;
    error_variants += variant.verdict == core::Verdict::Error ? 1 : 0;
    canaries += variant.canary ? 1 : 0;
    caught += variant.canary && !variant.caught.empty() ? 1 : 0;
  }
  for (const auto& series : report.growth) {
    gating_growth += series.gating ? 1 : 0;
  }
  std::string out = "<header class=\"verdict " + verdict + "\" id=\"verdict\" data-verdict=\"" + verdict +
                    "\"><div class=\"wrap\"><div><div class=\"verdict-title\">plumb verdict</div>"
                    "<div class=\"verdict-word\">" +
                    std::string(verdict_word(report.verdict)) + "</div></div><ul class=\"verdict-stats\">";
  // Counts of what fails the run appear only when something does.
  if (gating_sites > 0) {
    out += stat_chip(gating_sites, "gating sites");
  }
  if (gating_growth > 0) {
    out += stat_chip(gating_growth, "growth over threshold");
  }
  if (error_variants > 0) {
    out += stat_chip(error_variants, "variants in error");
  }
  out += stat_chip(passed_variants, "of " + std::to_string(report.variants.size()) + " variants passed");
  if (canaries > 0) {
    out += stat_chip(caught, "of " + std::to_string(canaries) + " canaries caught");
  }
  out += stat_chip(accepted, "sites baseline / suppressed");
  out += "</ul>";
  if (!report.reasons.empty()) {
    out += "<ul class=\"gate-reasons\">";
    for (const auto& reason : report.reasons) {
      const std::string kind(core::to_string(reason.verdict));
      out += "<li class=\"reason-" + kind + "\"><b>" + kind + "</b> " + escape_html(reason.text) + "</li>";
    }
    out += "</ul>";
  }
  if (report.shard) {
    out += "<div class=\"generated\">" + escape_html(describe_shard(*report.shard)) + "</div>";
  }
  if (!report.generated_at.empty()) {
    out += "<div class=\"generated\">Generated " + escape_html(report.generated_at) +
           (report.plumb_version.empty() ? "" : " by plumb " + escape_html(report.plumb_version)) + " · schema " +
           std::string(core::kReportSchema) + " · run " + escape_html(report.run_id) + "</div>";
  }
  return out + "</div></header>";
}

std::string render_toc(const core::Report& report) {
  return "<nav class=\"toc\"><div class=\"wrap\"><a href=\"#variants\">Variants (" +
         std::to_string(report.variants.size()) + ")</a><a href=\"#findings\">Findings (" +
         std::to_string(report.findings.size()) + ")</a><a href=\"#growth\">Growth (" +
         std::to_string(report.growth.size()) + ")</a><a href=\"#suppressions\">Suppressions (" +
         std::to_string(report.suppressions.size()) + ")</a></div></nav>";
}

// Fills the template's {{NAME}} slots in one pass over the template only, so text inside a
// substituted value is never itself treated as a slot.
std::string fill_template(std::string_view page,
                          const std::vector<std::pair<std::string_view, std::string>>& slots) {
  std::string out;
  std::size_t size = page.size();
  for (const auto& slot : slots) {
    size += slot.second.size();
  }
  out.reserve(size);  // The largest file plumb renders: grown once, not doubled.
  std::size_t at = 0;
  while (at < page.size()) {
    const auto open = page.find("{{", at);
    if (open == std::string_view::npos) {
      break;
    }
    const auto close = page.find("}}", open + 2);
    if (close == std::string_view::npos) {
      break;
    }
    const auto name = page.substr(open + 2, close - open - 2);
    out.append(page.substr(at, open - at));
    bool found = false;
    for (const auto& [slot, value] : slots) {
      if (slot == name) {
        out += value;
        found = true;
        break;
      }
    }
    if (!found) {
      out.append(page.substr(open, close + 2 - open));
    }
    at = close + 2;
  }
  out.append(page.substr(at));
  return out;
}

}  // namespace

std::string render_html(const core::Report& report) {
  const std::string_view script = assets::app_js();
  const std::string_view style = assets::style_css();
  std::string body = render_banner(report) + render_toc(report) + "<main class=\"wrap\">" +
                     render_variants_section(report) + render_canaries_section(report) +
                     render_findings_section(report) + render_growth_section(report) +
                     render_suppressions_section(report) +
                     "</main><footer class=\"wrap\">Rendered by plumb" +
                     (report.plumb_version.empty() ? "" : " " + escape_html(report.plumb_version)) +
                     " from report.json (" +
                     std::string(core::kReportSchema) +
                     "). This page is self-contained: it loads nothing from the network.</footer>";
  const std::string title = "plumb report: " + std::string(verdict_word(report.verdict));
  // The report's JSON tree goes in moved: freed once serialized, before the page is put together.
  std::string data = json_for_script_block(core::to_json(report));
  // Moved in, never copied (a braced list would copy each value once more).
  std::vector<std::pair<std::string_view, std::string>> slots;
  slots.reserve(7);
  slots.emplace_back("CSP", escape_html(content_security_policy(script, style)));
  slots.emplace_back("TITLE", escape_html(title));
  slots.emplace_back("RUN_ID", escape_html(report.run_id));
  slots.emplace_back("STYLE", std::string(style));
  slots.emplace_back("BODY", std::move(body));
  slots.emplace_back("DATA", std::move(data));
  slots.emplace_back("SCRIPT", std::string(script));
  return fill_template(assets::template_html(), slots);
}

}  // namespace plumb::reports

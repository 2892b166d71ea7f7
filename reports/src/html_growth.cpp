#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "plumb/core/metric.hpp"
#include "plumb/reports/escape.hpp"
#include "format.hpp"
#include "html_sections.hpp"
#include "svg_chart.hpp"

namespace plumb::reports {
namespace {

// Display order: the metric table's; series of no metric (a doctor's sites) follow in report order.
int metric_rank(const std::string& metric) {
  const auto known = core::metric_named(metric);
  return known ? static_cast<int>(*known) : static_cast<int>(core::kAllMetrics.size());
}

std::string metric_title(const std::string& metric) {
  return std::string(core::title_of(metric));
}

std::string stat(const std::string& term, const std::string& escaped_value) {
  return "<dt>" + term + "</dt><dd>" + escaped_value + "</dd>";
}

// The card of the finding a failing series is linked to (series.finding, set by the gate): the
// anchor of its site's lead; empty when the series links to none.
std::string linked_card(const core::Report& report, const core::GrowthSeries& series) {
  if (series.finding.empty()) {
    return "";
  }
  for (const core::Site& site : report.sites) {
    for (const std::size_t index : site.findings) {
      if (report.findings.at(index).fingerprint == series.finding) {
        return finding_anchor(report.findings.at(site.findings.front()));
      }
    }
  }
  return "";
}

std::string render_chart_figure(const core::Report& report, const core::GrowthSeries& series, std::size_t index) {
  // The slope against the threshold is a measurement; whether it fails the run is the gate's word.
  const bool grows = series.verdict == core::GrowthVerdict::Fail;
  const std::string badge = series.gating ? "fail" : (grows ? "baseline" : "pass");
  const std::string label = series.gating ? "growth: gating" : (grows ? "growth: not gating" : "ok");
  std::string out =
      "<figure class=\"chart" + std::string(series.gating ? " fail" : "") + "\" data-variant=\"" +
      escape_html(series.variant) + "\" data-metric=\"" + escape_html(series.metric) + "\" data-verdict=\"" +
      std::string(core::to_string(series.verdict)) + "\" data-gating=\"" + (series.gating ? "true" : "false") +
      "\"><figcaption><div class=\"chart-title\"><b>" + escape_html(metric_title(series.metric)) +
      "</b><span class=\"badge " + badge + "\">" + label + "</span></div>";
  out +=
      "<div class=\"legend\"><span><i class=\"l-samples\"></i>samples</span><span><i "
      "class=\"l-fit\"></i>fit</span>";
  if (series.ci_low != 0 || series.ci_high != 0) {
    out += "<span><i class=\"l-band\"></i>confidence band</span>";
  }
  if (series.threshold > 0) {
    out += "<span><i class=\"l-threshold\"></i>threshold</span>";
  }
  out += "</div>";
  if (const std::string card = linked_card(report, series); !card.empty()) {
    out += "<div class=\"chart-finding\"><a href=\"#" + escape_html(card) + "\">its finding</a></div>";
  }
  out += "</figcaption>";
  out += render_growth_chart(series, std::to_string(index));
  out += "<dl class=\"chart-stats\">";
  out += stat("slope", escape_html(format_rate(series.slope_per_iteration, series.unit, series.axis)));
  if (series.ci_low != 0 || series.ci_high != 0) {
    out += stat("slope CI", escape_html(format_rate(series.ci_low, series.unit, series.axis) + " … " +
                                        format_rate(series.ci_high, series.unit, series.axis)));
  }
  out += stat("threshold", series.threshold > 0
                               ? escape_html(format_rate(series.threshold, series.unit, series.axis))
                               : std::string("none"));
  if (!series.samples.empty()) {
    out += stat("samples", std::to_string(series.samples.size()) + ", last " +
                               escape_html(format_quantity(series.samples.back().value, series.unit)));
  }
  return out + "</dl></figure>";
}

std::string render_sites(const std::vector<const core::GrowthSeries*>& series_of_variant) {
  // Each site with its series' axis, which its slope is per.
  std::vector<std::pair<const core::GrowthSite*, core::GrowthAxis>> sites;
  for (const auto* series : series_of_variant) {
    for (const auto& site : series->sites) {
      sites.emplace_back(&site, series->axis);
    }
  }
  if (sites.empty()) {
    return "";
  }
  std::stable_sort(sites.begin(), sites.end(), [](const auto& a, const auto& b) {
    return a.first->slope_per_iteration > b.first->slope_per_iteration;
  });
  std::string out =
      "<h4>Allocation sites whose bytes grow, by slope</h4><table class=\"sites\"><thead><tr>"
      "<th class=\"num\">#</th><th>Function</th><th>Location</th><th class=\"num\">Slope</th>"
      "<th class=\"num\">Bytes at the end</th></tr></thead><tbody>";
  for (std::size_t i = 0; i < sites.size(); ++i) {
    const auto& site = *sites[i].first;
    core::Frame frame{site.function, site.file, site.line, ""};
    out += "<tr class=\"site\"><td class=\"num\">" + std::to_string(i + 1) + "</td><td><code>" +
           escape_html(site.function.empty() ? "??" : site.function) + "</code></td><td><code>" +
           escape_html(frame_location(frame)) + "</code></td><td class=\"num\">" +
           escape_html(format_rate(site.slope_per_iteration, "bytes", sites[i].second)) + "</td><td class=\"num\">" +
           escape_html(format_bytes(static_cast<double>(site.last_bytes))) + "</td></tr>";
  }
  return out + "</tbody></table>";
}

}  // namespace

std::string render_growth_section(const core::Report& report) {
  std::string out = "<section class=\"panel\" id=\"growth\"><h2>Growth</h2>";
  if (report.growth.empty()) {
    return out + "<p class=\"empty\">No variant sampled a metric.</p></section>";
  }
  out +=
      "<p class=\"explain\">Each chart shows one metric sampled along its run: the harness's iterations, "
      "massif's snapshots or the doctor's seconds, as its x axis says, and every slope is per one of them. "
      "The solid line is the fitted trend (intercept + slope × x); the shaded band spans the slopes of the "
      "confidence interval, drawn through the median sample; the dashed line starts at the fitted value of "
      "the first sample and rises at the threshold slope — growth steeper than it fails the gate.</p>";
  std::vector<std::string> variant_order;
  std::map<std::string, std::vector<const core::GrowthSeries*>> by_variant;
  for (const auto& series : report.growth) {
    auto& list = by_variant[series.variant];
    if (list.empty()) {
      variant_order.push_back(series.variant);
    }
    list.push_back(&series);
  }
  std::size_t chart_index = 0;
  for (const auto& variant : variant_order) {
    auto series_list = by_variant[variant];
    std::stable_sort(series_list.begin(), series_list.end(), [](const auto* a, const auto* b) {
      return metric_rank(a->metric) < metric_rank(b->metric);
    });
    out += "<div class=\"growth-variant\" data-variant=\"" + escape_html(variant) + "\"><h3>" +
           escape_html(variant.empty() ? std::string("(unnamed variant)") : variant) +
           "</h3><div class=\"charts\">";
    for (const auto* series : series_list) {
      out += render_chart_figure(report, *series, chart_index++);
    }
    out += "</div>" + render_sites(series_list) + "</div>";
  }
  return out + "</section>";
}

}  // namespace plumb::reports

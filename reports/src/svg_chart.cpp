#include "svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "plumb/reports/escape.hpp"
#include "format.hpp"

namespace plumb::reports {
namespace {

constexpr double kWidth = 440;
constexpr double kHeight = 230;
constexpr double kLeft = 66;
constexpr double kRight = 20;
constexpr double kTop = 12;
constexpr double kBottom = 38;
constexpr std::size_t kMaxDots = 240;

double median(std::vector<double> values) {
  if (values.empty()) {
    return 0;
  }
  const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), middle, values.end());
  if (values.size() % 2 == 1) {
    return *middle;
  }
  const double upper = *middle;
  const double lower = *std::max_element(values.begin(), middle);
  return (lower + upper) / 2;
}

// Tick positions at a "nice" step (1, 2, 2.5 or 5 times a power of ten) covering [low, high].
std::vector<double> nice_ticks(double low, double high, int wanted) {
  const double span = high - low;
  if (!(span > 0) || !std::isfinite(span)) {
    return {low};
  }
  const double rough = span / wanted;
  const double power = std::pow(10.0, std::floor(std::log10(rough)));
  double step = power;
  for (const double factor : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    step = factor * power;
    if (step >= rough) {
      break;
    }
  }
  std::vector<double> ticks;
  for (double tick = std::ceil(low / step) * step; tick <= high + step * 1e-9; tick += step) {
    ticks.push_back(std::fabs(tick) < step * 1e-9 ? 0.0 : tick);
  }
  return ticks;
}

// A tick label precise enough that neighbouring ticks (`step` apart) read differently.
std::string tick_label(double value, double step, double largest, std::string_view unit) {
  const bool bytes = unit == "bytes" || unit == "B";
  const bool kilobytes = unit == "kB" || unit == "KiB" || unit == "kiB";
  if (!bytes && !kilobytes) {
    const int decimals = step >= 1 ? 0 : std::min(6, static_cast<int>(std::ceil(-std::log10(step))));
    return fmt::format("{:.{}f}", value, decimals);
  }
  const double scale = kilobytes ? 1024.0 : 1.0;
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double divisor = 1;
  std::size_t unit_index = 0;
  while (std::fabs(largest * scale) / divisor >= 1024.0 && unit_index + 1 < std::size(kUnits)) {
    divisor *= 1024.0;
    ++unit_index;
  }
  const double scaled_step = step * scale / divisor;
  const int decimals =
      scaled_step >= 1 ? 0 : std::min(4, static_cast<int>(std::ceil(-std::log10(scaled_step))));
  return fmt::format("{:.{}f} {}", value * scale / divisor, decimals, kUnits[unit_index]);
}

std::string num(double value) {
  return fmt::format("{:.1f}", value);
}

// Maps data coordinates onto the plot area.
struct Scale {
  double x_min, x_max, y_min, y_max;

  double x(double iteration) const {
    return kLeft + (iteration - x_min) / (x_max - x_min) * (kWidth - kLeft - kRight);
  }
  double y(double value) const {
    return kTop + (y_max - value) / (y_max - y_min) * (kHeight - kTop - kBottom);
  }
};

std::string line(const Scale& s, double x0, double y0, double x1, double y1, const std::string& cls) {
  return "<line class=\"" + cls + "\" x1=\"" + num(s.x(x0)) + "\" y1=\"" + num(s.y(y0)) + "\" x2=\"" +
         num(s.x(x1)) + "\" y2=\"" + num(s.y(y1)) + "\"/>";
}

}  // namespace

std::string render_growth_chart(const core::GrowthSeries& series, const std::string& chart_id) {
  const std::string label = series.metric + " of " + series.variant + " by " + std::string(axis_title(series.axis));
  std::string out = "<svg class=\"growth-chart\" viewBox=\"0 0 " + num(kWidth) + " " + num(kHeight) +
                    "\" role=\"img\" aria-label=\"" + escape_html(label) + "\" data-metric=\"" +
                    escape_html(series.metric) + "\" data-samples=\"" +
                    std::to_string(series.samples.size()) + "\">";
  std::vector<core::SamplePoint> points;
  for (const auto& point : series.samples) {
    if (std::isfinite(point.iteration) && std::isfinite(point.value)) {
      points.push_back(point);
    }
  }
  if (points.empty()) {
    return out + "<text class=\"nodata\" x=\"" + num(kWidth / 2) + "\" y=\"" + num(kHeight / 2) +
           "\" text-anchor=\"middle\">no samples</text></svg>";
  }

  std::vector<double> xs, ys;
  for (const auto& point : points) {
    xs.push_back(point.iteration);
    ys.push_back(point.value);
  }
  double x_min = *std::min_element(xs.begin(), xs.end());
  double x_max = *std::max_element(xs.begin(), xs.end());
  if (x_max <= x_min) {
    x_max = x_min + 1;
  }
  const double x_median = median(xs);
  const double y_median = median(ys);
  const auto fit = [&](double x) { return series.intercept + series.slope_per_iteration * x; };
  const auto band = [&](double slope, double x) { return y_median + slope * (x - x_median); };
  const bool has_band = series.ci_low != 0 || series.ci_high != 0;
  const bool has_threshold = series.threshold > 0;

  // The value axis covers the samples and the fitted line; the band and threshold are clipped.
  double y_min = std::min({*std::min_element(ys.begin(), ys.end()), fit(x_min), fit(x_max)});
  double y_max = std::max({*std::max_element(ys.begin(), ys.end()), fit(x_min), fit(x_max)});
  if (has_threshold) {
    // Show the threshold's rise when it is of the data's order, so "under the line" is visible.
    const double threshold_end = fit(x_min) + series.threshold * (x_max - x_min);
    if (threshold_end <= y_max + 2 * (y_max - y_min) + 1e-12) {
      y_max = std::max(y_max, threshold_end);
    }
  }
  const double padding = (y_max - y_min) * 0.08;
  if (padding > 0) {
    y_min -= padding;
    y_max += padding;
  } else {
    const double pad = std::max(1.0, std::fabs(y_max) * 0.05);
    y_min -= pad;
    y_max += pad;
  }
  if (y_min < 0 && *std::min_element(ys.begin(), ys.end()) >= 0) {
    y_min = std::max(y_min, 0.0 - (y_max - y_min) * 0.02);
  }
  const Scale scale{x_min, x_max, y_min, y_max};

  // Grid and axes.
  const auto y_ticks = nice_ticks(y_min, y_max, 4);
  const double y_step = y_ticks.size() > 1 ? y_ticks[1] - y_ticks[0] : 1.0;
  const double y_largest = std::max(std::fabs(y_min), std::fabs(y_max));
  for (const double tick : y_ticks) {
    out += "<line class=\"grid\" x1=\"" + num(kLeft) + "\" x2=\"" + num(kWidth - kRight) + "\" y1=\"" +
           num(scale.y(tick)) + "\" y2=\"" + num(scale.y(tick)) + "\"/>";
    out += "<text class=\"tick\" x=\"" + num(kLeft - 6) + "\" y=\"" + num(scale.y(tick) + 3.5) +
           "\" text-anchor=\"end\">" + escape_html(tick_label(tick, y_step, y_largest, series.unit)) +
           "</text>";
  }
  for (const double tick : nice_ticks(x_min, x_max, 5)) {
    out += "<text class=\"tick\" x=\"" + num(scale.x(tick)) + "\" y=\"" + num(kHeight - kBottom + 16) +
           "\" text-anchor=\"middle\">" + escape_html(format_number(tick)) + "</text>";
  }
  out += "<line class=\"axis\" x1=\"" + num(kLeft) + "\" x2=\"" + num(kWidth - kRight) + "\" y1=\"" +
         num(kHeight - kBottom) + "\" y2=\"" + num(kHeight - kBottom) + "\"/>";
  out += "<text class=\"tick axis-title\" x=\"" + num((kLeft + kWidth - kRight) / 2) + "\" y=\"" +
         num(kHeight - 4) + "\" text-anchor=\"middle\">" + std::string(axis_title(series.axis)) + "</text>";

  const std::string clip = "clip-" + chart_id;
  out += "<defs><clipPath id=\"" + clip + "\"><rect x=\"" + num(kLeft) + "\" y=\"" + num(kTop) +
         "\" width=\"" + num(kWidth - kLeft - kRight) + "\" height=\"" + num(kHeight - kTop - kBottom) +
         "\"/></clipPath></defs>";
  out += "<g clip-path=\"url(#" + clip + ")\">";
  if (has_band) {
    out += "<polygon class=\"band\" points=\"" + num(scale.x(x_min)) + "," +
           num(scale.y(band(series.ci_low, x_min))) + " " + num(scale.x(x_max)) + "," +
           num(scale.y(band(series.ci_low, x_max))) + " " + num(scale.x(x_max)) + "," +
           num(scale.y(band(series.ci_high, x_max))) + " " + num(scale.x(x_min)) + "," +
           num(scale.y(band(series.ci_high, x_min))) + "\"/>";
  }
  // Samples: a thin line through them, and dots when there are few enough to read.
  std::string polyline;
  for (const auto& point : points) {
    polyline += num(scale.x(point.iteration)) + "," + num(scale.y(point.value)) + " ";
  }
  out += "<polyline class=\"samples-line\" points=\"" + polyline + "\"/>";
  if (points.size() <= kMaxDots) {
    out += "<g class=\"samples\">";
    for (const auto& point : points) {
      out += "<circle class=\"sample\" r=\"2.2\" cx=\"" + num(scale.x(point.iteration)) + "\" cy=\"" +
             num(scale.y(point.value)) + "\"/>";
    }
    out += "</g>";
  }
  if (has_threshold) {
    out +=
        line(scale, x_min, fit(x_min), x_max, fit(x_min) + series.threshold * (x_max - x_min), "threshold");
  }
  out += line(scale, x_min, fit(x_min), x_max, fit(x_max), series.verdict == core::GrowthVerdict::Fail ? "fit fail" : "fit");
  return out + "</g></svg>";
}

}  // namespace plumb::reports

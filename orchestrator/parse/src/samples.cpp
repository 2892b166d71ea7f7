#include "plumb/parse/samples.hpp"

#include <fmt/format.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <plumb/core/metric.hpp>
#include <plumb/stats/growth.hpp>

namespace plumb::parse {
namespace {

using core::GrowthSeries;
using core::GrowthVerdict;
using nlohmann::json;

double number_or(const json& object, const char* key, double fallback) {
  const auto it = object.find(key);
  return it != object.end() && it->is_number() ? it->get<double>() : fallback;
}

std::string string_or(const json& object, const char* key, std::string fallback) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : fallback;
}

class SamplesReader {
 public:
  void line(const std::string& text, long number) {
    if (text.find_first_not_of(" \t\r") == std::string::npos) {
      return;
    }
    json record = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (record.is_discarded() || !record.is_object()) {
      warn(number, "not a JSON object; line skipped");
      return;
    }
    const auto type = record.find("type");
    if (type == record.end() || !type->is_string()) {
      warn(number, "no \"type\"; line skipped");
      return;
    }
    const auto& name = type->get_ref<const std::string&>();
    if (name == "meta") {
      on_meta(record);
    } else if (name == "sample") {
      on_sample(record, number);
    } else if (name == "summary") {
      on_summary(record, number);
    } else {
      warn(number, "unknown record type \"" + name + "\"; line skipped");
    }
  }

  core::ParseResult finish() {
    if (!summary_seen_) {
      result_.complete = false;
      if (result_.recognised) {
        result_.incomplete_reason = "no summary record: the harness did not finish (killed or cut short)";
        if (last_iteration_) {
          result_.incomplete_reason +=
              fmt::format("; growth judged by plumb over the samples up to iteration {}",
                          static_cast<long long>(*last_iteration_));
        }
        result_.warnings.push_back(result_.incomplete_reason);
      }
      // The metrics a sample line carries, in the table's order; analysis makes a failing one a finding.
      for (const core::Metric metric : core::kAllMetrics) {
        const core::MetricSpec& spec = core::spec_of(metric);
        auto it = points_.find(std::string(spec.name));
        if (!spec.harness || it == points_.end()) {
          continue;
        }
        GrowthSeries series;
        series.metric = spec.name;
        series.unit = spec.unit;
        series.threshold = thresholds_.count(series.metric) != 0 ? thresholds_[series.metric] : 0.0;
        series.samples = std::move(it->second);
        if (judges(series.metric)) {
          judge_cut_series(series);
        }
        result_.growth.push_back(std::move(series));
      }
    }
    return std::move(result_);
  }

 private:
  // Whether the harness judged `metric` (its meta line says; older files judged every metric).
  bool judges(const std::string& metric) const { return !judged_ || judged_->count(metric) != 0; }

  // The harness's own rule applied to the samples a cut file has: a Theil-Sen fit over the samples
  // past the warm-up (at most kMaxFitted, evenly thinned), failing when the slope is above the
  // threshold and the 95% interval's lower end above zero; fewer than 3 points never fail.
  void judge_cut_series(GrowthSeries& series) {
    std::vector<double> x;
    std::vector<double> y;
    for (const core::SamplePoint& point : series.samples) {
      if (point.iteration >= warmup_) {
        x.push_back(point.iteration);
        y.push_back(point.value);
      }
    }
    if (x.size() > kMaxFitted) {
      std::vector<double> thin_x;
      std::vector<double> thin_y;
      for (std::size_t i = 0; i < kMaxFitted; ++i) {
        const std::size_t at = i * (x.size() - 1) / (kMaxFitted - 1);
        thin_x.push_back(x[at]);
        thin_y.push_back(y[at]);
      }
      x.swap(thin_x);
      y.swap(thin_y);
    }
    if (x.size() < 3) {
      return;
    }
    const auto judgement = stats::judge_growth(x, y, series.threshold);
    const auto& fit = judgement.fit;
    if (!fit) {
      return;
    }
    series.slope_per_iteration = fit->slope;
    series.intercept = fit->intercept;
    series.ci_low = fit->ci_low;
    series.ci_high = fit->ci_high;
    series.verdict = judgement.grows ? GrowthVerdict::Fail : GrowthVerdict::Ok;
  }

  void warn(long number, const std::string& problem) {
    result_.warnings.push_back("line " + std::to_string(number) + ": " + problem);
  }

  void on_meta(const json& record) {
    result_.recognised = true;
    warmup_ = number_or(record, "warmup", 0);
    const auto judged = record.find("judged");
    if (judged != record.end() && judged->is_array()) {
      judged_.emplace();
      for (const auto& metric : *judged) {
        if (metric.is_string()) {
          judged_->insert(metric.get<std::string>());
        }
      }
    }
    const auto thresholds = record.find("thresholds");
    if (thresholds != record.end() && thresholds->is_object()) {
      for (const auto& [metric, value] : thresholds->items()) {
        if (value.is_number()) {
          thresholds_[metric] = value.get<double>();
        }
      }
    }
  }

  void on_sample(const json& record, long number) {
    result_.recognised = true;
    const auto iteration = record.find("iteration");
    if (iteration == record.end() || !iteration->is_number()) {
      warn(number, "sample without a numeric \"iteration\"; line skipped");
      return;
    }
    const double x = iteration->get<double>();
    last_iteration_ = x;
    for (const core::Metric metric : core::kAllMetrics) {
      const core::MetricSpec& spec = core::spec_of(metric);
      const auto value = spec.harness ? record.find(spec.name) : record.end();
      // A null value means "not measurable in this build" (e.g. heap without allocator stats).
      if (value != record.end() && value->is_number()) {
        points_[std::string(spec.name)].push_back({x, value->get<double>()});
      }
    }
  }

  void on_summary(const json& record, long number) {
    result_.recognised = true;
    summary_seen_ = true;
    const auto series_list = record.find("series");
    if (series_list == record.end() || !series_list->is_array()) {
      warn(number, "summary without a \"series\" array");
      return;
    }
    for (const auto& entry : *series_list) {
      if (!entry.is_object() || !entry.contains("metric") || !entry.at("metric").is_string()) {
        warn(number, "a summary series without a \"metric\"; skipped");
        continue;
      }
      GrowthSeries series;
      series.metric = entry.at("metric").get<std::string>();
      series.unit = string_or(entry, "unit", std::string(core::unit_of(series.metric)));
      series.slope_per_iteration = number_or(entry, "slope_per_iteration", 0);
      series.intercept = number_or(entry, "intercept", 0);
      series.ci_low = number_or(entry, "ci_low", series.slope_per_iteration);
      series.ci_high = number_or(entry, "ci_high", series.slope_per_iteration);
      series.threshold = number_or(entry, "threshold",
                                   thresholds_.count(series.metric) != 0 ? thresholds_[series.metric] : 0.0);
      const std::string verdict = string_or(entry, "verdict", "ok");
      const auto known = core::parse_growth_verdict(verdict);
      series.verdict = known.value_or(GrowthVerdict::Fail);
      if (!known) {
        warn(number, "series \"" + series.metric + "\" has verdict \"" + verdict + "\"; read as fail");
      }
      if (auto it = points_.find(series.metric); it != points_.end()) {
        series.samples = it->second;
      }
      result_.growth.push_back(std::move(series));
    }
  }

  core::ParseResult result_;
  std::map<std::string, std::vector<core::SamplePoint>> points_;
  std::map<std::string, double> thresholds_;
  bool summary_seen_ = false;
  static constexpr std::size_t kMaxFitted = 1024;  // The harness's own series capacity.
  double warmup_ = 0;
  std::optional<std::set<std::string>> judged_;
  std::optional<double> last_iteration_;
};

}  // namespace

core::ParseResult parse_samples(std::istream& in) {
  SamplesReader reader;
  std::string line;
  long number = 0;
  while (std::getline(in, line)) {
    ++number;
    reader.line(line, number);
  }
  return reader.finish();
}

}  // namespace plumb::parse

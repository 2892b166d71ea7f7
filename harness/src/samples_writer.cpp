#include "plumb/harness/samples_writer.hpp"

#include <nlohmann/json.hpp>

namespace plumb::harness {

using Json = nlohmann::ordered_json;

std::string meta_line(const Options& options, std::string_view heap_source, std::string_view runtime,
                      const std::vector<std::string>& judged) {
  Json meta;
  meta["type"] = "meta";
  meta["tool"] = "scan_leak";
  meta["mode"] = std::string(to_string(options.mode));
  meta["announcements"] = options.announcements;
  meta["iterations"] = options.iterations;
  meta["sample_every"] = options.effective_sample_every();
  meta["warmup"] = options.effective_warmup();
  meta["inject"] = options.inject.to_string();
  meta["thresholds"] = Json{{"rss", options.thresholds.rss_bytes},
                            {"heap", options.thresholds.heap_bytes},
                            {"threads", options.thresholds.threads},
                            {"fds", options.thresholds.fds},
                            {"cache_bytes", options.thresholds.cache_bytes}};
  meta["heap_source"] = std::string(heap_source);
  meta["runtime"] = std::string(runtime);
  meta["judged"] = judged;
  return meta.dump();
}

std::string sample_line(const Sample& sample) {
  Json line;
  line["type"] = "sample";
  line["iteration"] = sample.iteration;
  line["t_s"] = sample.t_s;
  line["rss"] = sample.rss;
  line["heap"] = sample.heap ? Json(*sample.heap) : Json(nullptr);
  line["threads"] = sample.threads;
  line["fds"] = sample.fds;
  line["cache_bytes"] = sample.cache_bytes;
  return line.dump();
}

std::string summary_line(bool fail, const std::vector<SummarySeries>& series) {
  Json summary;
  summary["type"] = "summary";
  summary["verdict"] = fail ? "fail" : "ok";
  Json list = Json::array();
  for (const SummarySeries& entry : series) {
    const SeriesVerdict& v = entry.verdict;
    Json item;
    item["metric"] = v.metric;
    item["unit"] = v.unit;
    item["slope_per_iteration"] = v.slope;
    item["intercept"] = v.intercept;
    item["ci_low"] = v.ci_low;
    item["ci_high"] = v.ci_high;
    item["threshold"] = v.threshold;
    item["samples"] = v.samples;
    item["verdict"] = v.fail ? "fail" : "ok";
    if (entry.first_failure) {
      item["first_failure_iteration"] = *entry.first_failure ? Json(**entry.first_failure) : Json(nullptr);
    }
    list.push_back(std::move(item));
  }
  summary["series"] = std::move(list);
  return summary.dump();
}

}  // namespace plumb::harness

// baseline.json reading (parse, line of every entry, duplicate checks, amounts) against the
// reference in the same run: nlohmann::json parsing the same text and nothing else. Reading must
// stay within a small factor of the parse at every size, i.e. linear, not a scan per entry (a
// 4 MB baseline took 52.7 s when each entry's line was counted from the start of the file).
//   build/release/bin/bench_baseline_load --benchmark_counters_tabular=true
#include <cstdio>
#include <sstream>
#include <string>

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include "plumb/analyze/baseline.hpp"
#include "plumb/analyze/fingerprint.hpp"

namespace {

// A baseline of about `megabytes` MB, one leak entry per line as `plumb baseline update` writes it.
std::string baseline_text(std::int64_t megabytes) {
  const std::size_t target = static_cast<std::size_t>(megabytes) << 20U;
  std::string text = "{\n  \"schema\": \"plumb.baseline/2\",\n  \"identity\": " +
                     std::to_string(plumb::analyze::kIdentityVersion) + ",\n  \"fingerprints\": [\n";
  char entry[256];
  for (unsigned long i = 0; text.size() < target; ++i) {
    std::snprintf(entry, sizeof entry,
                  "%s    {\"blocks\":%lu,\"bytes\":%lu,\"fingerprint\":\"%016lx\",\"kind\":\"leak.definite\","
                  "\"top_frame\":\"plumb::harness::plant_leak_%lu\"}",
                  i == 0 ? "" : ",\n", i % 7 + 1, (i % 97 + 1) * 16, i * 0x9e3779b97f4a7c15UL, i);
    text += entry;
  }
  text += "\n  ]\n}\n";
  return text;
}

void BM_JsonParseOnly(benchmark::State& state) {
  const std::string text = baseline_text(state.range(0));
  for (auto _ : state) {
    nlohmann::json document = nlohmann::json::parse(text);
    benchmark::DoNotOptimize(document);
  }
  state.counters["MB"] = static_cast<double>(text.size()) / (1 << 20);
}

void BM_ParseBaseline(benchmark::State& state) {
  const std::string text = baseline_text(state.range(0));
  std::size_t entries = 0;
  for (auto _ : state) {
    std::istringstream in(text);
    plumb::analyze::Baseline baseline = plumb::analyze::parse_baseline(in, "baseline.json");
    entries = baseline.fingerprints.size();
    benchmark::DoNotOptimize(baseline);
  }
  state.counters["MB"] = static_cast<double>(text.size()) / (1 << 20);
  state.counters["entries"] = static_cast<double>(entries);
}

BENCHMARK(BM_JsonParseOnly)->Arg(1)->Arg(4)->Arg(50)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_ParseBaseline)->Arg(1)->Arg(4)->Arg(50)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();

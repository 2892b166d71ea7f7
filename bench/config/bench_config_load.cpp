// plumb.toml loading (parse + validation: names, tools, tiers, duplicates) against the reference
// in the same run: toml++ parsing the same text and nothing else. Loading must stay within a small
// factor of the parse at every size, i.e. O(n log n) like the parse, not a scan per variant.
//   build/release/bin/bench_config_load --benchmark_counters_tabular=true
#include <string>

#include <benchmark/benchmark.h>
#include <toml++/toml.h>

#include "plumb/core/config.hpp"

namespace {

// A configuration with `count` variants, each with a pr tier.
std::string config_text(std::int64_t count) {
  std::string text = "[project]\nbuild_dir = \"build\"\n";
  for (std::int64_t i = 0; i < count; ++i) {
    text += "[[variant]]\nname = \"v" + std::to_string(i) +
            "\"\npreset = \"release\"\ntool = \"memcheck\"\ntarget = \"prog\"\n[variant.tiers.pr]\nargs = [\"--n\", \"" +
            std::to_string(i) + "\"]\n";
  }
  return text;
}

void BM_TomlParseOnly(benchmark::State& state) {
  const std::string text = config_text(state.range(0));
  for (auto _ : state) {
    toml::table table = toml::parse(text, std::string_view("plumb.toml"));
    benchmark::DoNotOptimize(table);
  }
  state.counters["variants"] = static_cast<double>(state.range(0));
}

void BM_LoadConfig(benchmark::State& state) {
  const std::string text = config_text(state.range(0));
  for (auto _ : state) {
    plumb::core::Config config = plumb::core::parse_config(text, "plumb.toml");
    benchmark::DoNotOptimize(config);
  }
  state.counters["variants"] = static_cast<double>(state.range(0));
}

BENCHMARK(BM_TomlParseOnly)->RangeMultiplier(10)->Range(1000, 100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LoadConfig)->RangeMultiplier(10)->Range(1000, 100000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();

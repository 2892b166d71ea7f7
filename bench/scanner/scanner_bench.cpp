// Scanner throughput against the protocol's physical limit: one X25519 plus one BLAKE2b per
// announcement; scripts/bench-scanner turns items_per_second into ratios. Single-threaded
// benchmarks report items/s over the main thread's CPU time, which stays meaningful on a machine
// shared with other work; the pool benchmarks must use wall-clock time (UseRealTime), the only
// clock under which two threads can beat one.

#include <benchmark/benchmark.h>
#include <sodium.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

#include "spectre/spectre.hpp"

namespace {

using spectre::Announcement;
using spectre::RecipientKeys;

constexpr std::size_t kAnnouncements = 1000;
constexpr std::size_t kMineEvery = 100;  // 1% of the dataset is addressed to us

// One dataset shared by every benchmark in the run.
struct Fixture {
  RecipientKeys keys = RecipientKeys::generate();
  std::vector<Announcement> announcements;
  std::filesystem::path file;

  Fixture() {
    const RecipientKeys stranger = RecipientKeys::generate();
    const std::vector<std::uint8_t> metadata(32, 0x5a);
    announcements.reserve(kAnnouncements);
    for (std::size_t i = 0; i < kAnnouncements; ++i) {
      const auto& recipient = (i % kMineEvery == 0) ? keys : stranger;
      announcements.push_back(spectre::create_announcement(recipient.meta_address(), metadata));
    }
    file = std::filesystem::temp_directory_path() / ("spectre-bench-" + std::to_string(::getpid()) + ".ann");
    spectre::write_announcement_file(file, announcements);
  }
  ~Fixture() {
    std::error_code ignored;
    std::filesystem::remove(file, ignored);
  }
};

Fixture& fixture() {
  static Fixture instance;
  return instance;
}

void finish(benchmark::State& state) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(kAnnouncements));
}

// The physical limit: exactly one crypto_scalarmult and one crypto_generichash (same 106-byte input,
// same 64-byte output as the protocol) per announcement, and nothing else.
void BM_Reference(benchmark::State& state) {
  Fixture& f = fixture();
  const std::uint8_t* view_secret = f.keys.view().secret_key.data();
  std::array<std::uint8_t, 106> input{};
  std::memcpy(input.data(), "spectre/v1", 10);
  std::memcpy(input.data() + 74, f.keys.view().public_key.data(), 32);
  std::array<std::uint8_t, 64> hash{};
  for (auto _ : state) {
    for (const Announcement& announcement : f.announcements) {
      benchmark::DoNotOptimize(
          crypto_scalarmult(input.data() + 10, view_secret, announcement.ephemeral_pub.data()));
      std::memcpy(input.data() + 42, announcement.ephemeral_pub.data(), 32);
      crypto_generichash(hash.data(), hash.size(), input.data(), input.size(), nullptr, 0);
      benchmark::DoNotOptimize(hash);
    }
  }
  finish(state);
}

void BM_BatchScan(benchmark::State& state) {
  Fixture& f = fixture();
  for (auto _ : state) {
    auto result = spectre::scan_announcements(f.keys, f.announcements);
    benchmark::DoNotOptimize(result);
  }
  finish(state);
}

void BM_StreamScanFile(benchmark::State& state) {
  Fixture& f = fixture();
  std::size_t matches = 0;
  for (auto _ : state) {
    spectre::FileSource source(f.file);
    auto stats =
        spectre::scan_stream(f.keys, source, [&](spectre::Match&&, const Announcement&) { ++matches; });
    benchmark::DoNotOptimize(stats);
  }
  benchmark::DoNotOptimize(matches);
  finish(state);
}

void BM_StreamScanRange(benchmark::State& state) {
  Fixture& f = fixture();
  std::size_t matches = 0;
  for (auto _ : state) {
    spectre::RangeSource source(f.announcements);
    auto stats =
        spectre::scan_stream(f.keys, source, [&](spectre::Match&&, const Announcement&) { ++matches; });
    benchmark::DoNotOptimize(stats);
  }
  benchmark::DoNotOptimize(matches);
  finish(state);
}

void BM_Pool(benchmark::State& state) {
  Fixture& f = fixture();
  const spectre::WorkerPool pool(static_cast<unsigned>(state.range(0)));
  for (auto _ : state) {
    auto result = pool.scan_all(f.keys, f.announcements);
    benchmark::DoNotOptimize(result);
  }
  finish(state);
}

void BM_ColdCacheScan(benchmark::State& state) {
  Fixture& f = fixture();
  for (auto _ : state) {
    spectre::ScanCache cache;  // cold every time: every lookup misses, pays the X25519 and inserts
    auto result = spectre::scan_cached(f.keys, f.announcements, cache);
    benchmark::DoNotOptimize(result);
  }
  finish(state);
}

void BM_CachedRescan(benchmark::State& state) {
  Fixture& f = fixture();
  spectre::ScanCache cache;
  spectre::scan_cached(f.keys, f.announcements, cache);  // warm it once
  for (auto _ : state) {
    auto result = spectre::scan_cached(f.keys, f.announcements, cache);
    benchmark::DoNotOptimize(result);
  }
  finish(state);
}

// The floor of a cache hit: only what a hit must do, the cache key's hash (announcement_id, a keyed
// BLAKE2b of the announcement) and one lookup in a plain hash map of the same size holding the
// verdicts, counted as scan_cached counts them. scripts/bench-scanner prints cached_vs_floor.
void BM_CacheFloor(benchmark::State& state) {
  Fixture& f = fixture();
  const spectre::KeyId id = f.keys.id();
  std::unordered_map<spectre::CacheKey, spectre::Verdict, spectre::CacheKeyHash> verdicts;
  for (const auto& announcement : f.announcements) {
    verdicts.emplace(spectre::CacheKey{id, spectre::announcement_id(announcement)}, spectre::Verdict::tag_rejected);
  }
  for (auto _ : state) {
    spectre::ScanStats stats;
    for (const auto& announcement : f.announcements) {
      const auto found = verdicts.find(spectre::CacheKey{id, spectre::announcement_id(announcement)});
      spectre::Scanner::count(found->second, stats);
    }
    benchmark::DoNotOptimize(stats);
  }
  finish(state);
}

}  // namespace

BENCHMARK(BM_Reference)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BatchScan)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StreamScanFile)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StreamScanRange)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Pool)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ColdCacheScan)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CachedRescan)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CacheFloor)->Unit(benchmark::kMillisecond);

int main(int argc, char** argv) {
  if (sodium_init() < 0) return 1;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  fixture();  // build the dataset before any timing starts
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

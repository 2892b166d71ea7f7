// Throughput and peak RSS of the streaming memcheck XML parser.
//   bench_parse_memcheck --file BIG.xml   one timed pass over a file (bench/parse/run.sh uses it)
//   bench_parse_memcheck [gbench flags]   Google Benchmark over an in-memory log built from the
//                                          golden memcheck records
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "plumb/parse/memcheck_xml.hpp"

namespace {

// What the reference script extracts too: counts per kind, bytes and frames seen.
struct Tally {
  std::uint64_t findings = 0;
  std::uint64_t frames = 0;
  std::uint64_t bytes = 0;
  std::map<plumb::core::FindingKind, std::uint64_t> kinds;

  void add(const plumb::core::Finding& finding) {
    ++findings;
    bytes += finding.bytes;
    frames += finding.frames.size();
    for (const auto& stack : finding.related_stacks) {
      frames += stack.size();
    }
    ++kinds[finding.kind];
  }
};

double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux.
}

int time_file(const char* path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "%s: cannot open\n", path);
    return 2;
  }
  const auto size = static_cast<double>(std::filesystem::file_size(path));
  Tally tally;
  const auto start = std::chrono::steady_clock::now();
  const auto result =
      plumb::parse::stream_memcheck_xml(in, [&tally](plumb::core::Finding&& finding) { tally.add(finding); });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "cpp findings=%llu frames=%llu bytes=%llu kinds=%zu complete=%d seconds=%.3f mb_per_s=%.1f "
      "peak_rss_mb=%.1f\n",
      static_cast<unsigned long long>(tally.findings), static_cast<unsigned long long>(tally.frames),
      static_cast<unsigned long long>(tally.bytes), tally.kinds.size(), result.complete ? 1 : 0, seconds,
      size / 1e6 / seconds, peak_rss_mb());
  return result.complete ? 0 : 1;
}

// A ~16 MB log made of the golden logs' <error> records, repeated.
const std::string& in_memory_log() {
  static const std::string log = [] {
    std::vector<std::string> records;
    std::string head;
    std::string tail;
    for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(PLUMB_GOLDEN_DIR) / "memcheck")) {
      if (entry.path().extension() != ".xml") {
        continue;
      }
      std::ifstream in(entry.path());
      std::stringstream buffer;
      buffer << in.rdbuf();
      const std::string text = buffer.str();
      if (head.empty() && text.find("<error>") != std::string::npos) {
        head = text.substr(0, text.find("<error>"));
        tail = "</valgrindoutput>\n";
      }
      for (auto at = text.find("<error>"); at != std::string::npos; at = text.find("<error>", at + 1)) {
        records.push_back(text.substr(at, text.find("</error>", at) + 9 - at));
      }
    }
    std::string out = head;
    while (out.size() < (16U << 20U) && !records.empty()) {
      for (const auto& record : records) {
        out += record;
      }
    }
    return out + tail;
  }();
  return log;
}

void BM_StreamMemcheckXml(benchmark::State& state) {
  const std::string& log = in_memory_log();
  for (auto _ : state) {
    std::istringstream in(log);
    Tally tally;
    auto result = plumb::parse::stream_memcheck_xml(
        in, [&tally](plumb::core::Finding&& finding) { tally.add(finding); });
    benchmark::DoNotOptimize(tally.findings);
    benchmark::DoNotOptimize(result.complete);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(log.size()));
}
BENCHMARK(BM_StreamMemcheckXml)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::strcmp(argv[1], "--file") == 0) {
    return time_file(argv[2]);
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

// Reading heaptrack traces of growing length: peak RSS and throughput of the doctor's reader.
//   bench_doctor_trace generate MB > trace      writes MB megabytes of heaptrack trace text (200 sites:
//                                               one leaking, the rest churning), to compress with zstd;
//   bench_doctor_trace read TRACE               reads it as `plumb doctor --sites` does and prints
//                                               seconds, MB/s, peak RSS and the growing sites.
// bench/doctor/trace-memory.sh runs both at 10 MB and 1 GB in one run: peak RSS must not grow with the length.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <fmt/format.h>
#include <sys/resource.h>

#include "plumb/doctor/site_analysis.hpp"
#include "plumb/run/system_runner.hpp"

namespace {

constexpr int kSites = 200;

int generate(double megabytes) {
  const auto limit = static_cast<std::uint64_t>(megabytes * 1024 * 1024);
  std::uint64_t written = 0;
  const auto put = [&written](const std::string& line) {
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
    written += line.size() + 1;
  };
  put("v 10400 3");
  put("X ./service");
  put("I 1000 5e293b");
  put("s 9 ./service");
  put("s b service.cpp");
  for (int site = 0; site < kSites; ++site) {
    const std::string name = fmt::format("handler_{}", site);
    put(fmt::format("s {:x} {}", name.size(), name));
    put(fmt::format("i {:x} 1 {:x} 2 {:x}", 0x400000 + site * 16, site + 3, 10 + site));
    put(fmt::format("t {:x} 0", site + 1));
    put(fmt::format("a {:x} {:x}", 64 + site, site + 1));
  }
  std::uint64_t ms = 0;
  for (std::uint64_t tick = 0; written < limit; ++tick) {
    if (tick % 100 == 0) put(fmt::format("c {:x}", ++ms));
    const int site = static_cast<int>(tick % kSites);
    put(fmt::format("+ {:x}", site));
    if (site != 0) put(fmt::format("- {:x}", site));  // Site 0 leaks; the rest free what they take.
  }
  return 0;
}

int read(const char* path) {
  const auto start = std::chrono::steady_clock::now();
  plumb::doctor::SiteOptions options;
  const auto runner = plumb::run::make_system_runner();
  const auto analysis = plumb::doctor::analyse_trace(path, options, *runner);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::size_t growing = 0;
  for (const auto& site : analysis.sites) growing += site.trend == plumb::doctor::SiteTrend::Growing ? 1 : 0;
  fmt::print("lines {} allocations {} frees {} seconds {:.2f} lines_per_s {:.0f} peak_rss_kb {} sites {} growing {} "
             "first {}\n",
             analysis.summary.lines, analysis.summary.allocations, analysis.summary.frees, seconds,
             static_cast<double>(analysis.summary.lines) / seconds, usage.ru_maxrss, analysis.sites.size(), growing,
             analysis.sites.empty() ? "-" : analysis.sites.front().key);
  return analysis.complete ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 2 ? argv[1] : "";
  if (mode == "generate") return generate(std::atof(argv[2]));
  if (mode == "read") return read(argv[2]);
  std::fprintf(stderr, "usage: bench_doctor_trace generate MB | read TRACE\n");
  return 2;
}

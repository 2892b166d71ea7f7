#include "plumb/harness/cli.hpp"

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <map>
#include <string>

namespace plumb::harness {

namespace {

// CLI11's own NonNegativeNumber names the largest double in its message; this one says what it wants.
const CLI::Validator kNonNegative(
    [](std::string& value) -> std::string {
      char* end = nullptr;
      const double number = std::strtod(value.c_str(), &end);
      if (end == value.c_str() || *end != '\0' || !(number >= 0)) {
        return "must be a number >= 0, got '" + value + "'";
      }
      return {};
    },
    "NUMBER>=0", "non-negative");

// Counts the samples the fit will see: multiples of `every` in [warmup, iterations], plus the
// final sample when iterations is not a multiple.
std::uint64_t fitted_samples(std::uint64_t iterations, std::uint64_t every, std::uint64_t warmup) {
  std::uint64_t count = 0;
  const std::uint64_t first = (warmup + every - 1) / every * every;
  if (first <= iterations) count = (iterations - first) / every + 1;
  if (iterations % every != 0 && iterations >= warmup) ++count;
  return count;
}

}  // namespace

std::variant<Options, ExitRequest> parse_command_line(int argc, const char* const* argv, std::ostream& out,
                                                      std::ostream& err) {
  Options options;
  CLI::App app{
      "scan_leak: runs the spectre scanner's hot loop, samples RSS, live heap, threads, fds and cache "
      "bytes,\n"
      "and fails (exit 1) when a Theil-Sen slope grows faster than its threshold. Exit 2: usage error.",
      "scan_leak"};

  const std::map<std::string, Mode> modes{
      {"batch", Mode::Batch}, {"stream", Mode::Stream}, {"pool", Mode::Pool}, {"cached", Mode::Cached}};
  const std::map<std::string, ValgrindTool> tools{
      {"auto", ValgrindTool::Auto}, {"memcheck", ValgrindTool::Memcheck}, {"massif", ValgrindTool::Massif}};
  std::string inject = "none";
  double rss_kb = options.thresholds.rss_bytes / 1024;
  std::string samples;
  std::string snapshot_dir;
  std::string cache_file;
  std::uint64_t warmup = 0;
  bool no_snapshots = false;

  app.add_option("--announcements", options.announcements, "Announcements in the synthetic dataset")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{10'000'000}));
  app.add_option("--iterations", options.iterations, "Scans of the whole dataset")
      ->capture_default_str()
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1'000'000'000}));
  std::string mode = "batch";
  app.add_option("--mode", mode, "batch | stream | pool | cached")
      ->check(CLI::IsMember(modes, CLI::ignore_case))
      ->capture_default_str();
  app.add_option("--threads", options.threads, "Pool workers (pool mode and the race defect); 0 = cores");
  app.add_option("--seed", options.seed, "Seed of the deterministic dataset")->capture_default_str();
  app.add_option("--match-fraction", options.match_fraction,
                 "Share of announcements addressed to the test keys")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--sample-every", options.sample_every, "Sample every K iterations; 0 = iterations/200");
  auto* warmup_option =
      app.add_option("--warmup", warmup, "Iterations excluded from the fit (default: iterations/10)")
          ->capture_default_str();
  app.add_option("--samples", samples, "Write the samples as JSON lines to FILE");
  app.add_option("--snapshot-dir", snapshot_dir,
                 "Directory for massif snapshot files (under Valgrind massif)");
  app.add_flag("--no-snapshots", no_snapshots, "Skip Valgrind/LSan snapshots and leak checks at each sample");
  std::string tool = "auto";
  app.add_option("--valgrind-tool", tool, "auto | memcheck | massif (auto reads LD_PRELOAD)")
      ->check(CLI::IsMember(tools, CLI::ignore_case))
      ->capture_default_str();
  app.add_option("--inject", inject, "Plant one defect: " + injection_names())->capture_default_str();
  app.add_option("--max-rss-kb-per-iter", rss_kb, "RSS slope threshold (KiB per iteration)")
      ->capture_default_str()
      ->check(kNonNegative);
  app.add_option("--max-heap-bytes-per-iter", options.thresholds.heap_bytes, "Live-heap slope threshold")
      ->capture_default_str()
      ->check(kNonNegative);
  app.add_option("--max-threads-per-iter", options.thresholds.threads, "Thread-count slope threshold")
      ->capture_default_str()
      ->check(kNonNegative);
  app.add_option("--max-fds-per-iter", options.thresholds.fds, "Open-fd slope threshold")
      ->capture_default_str()
      ->check(kNonNegative);
  app.add_option("--max-cache-bytes-per-iter", options.thresholds.cache_bytes, "Cache-bytes slope threshold")
      ->capture_default_str()
      ->check(kNonNegative);
  app.add_option("--cache-cap-bytes", options.cache_cap_bytes, "Byte cap of each cache layer (cached mode)")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{64 * 1024}, std::size_t{1} << 40));
  app.add_option("--cache-file", cache_file, "SQLite store behind the memory cache (cached mode)");
  app.add_flag("--report-first-failure", options.report_first_failure,
               "Re-judge at every sample and report the first iteration each series failed");
  bool progress_on = false;
  bool progress_off = false;
  auto* progress_flag = app.add_flag("--progress", progress_on,
                                     "Report progress on stderr (default: only when stderr is a terminal)");
  app.add_flag("--no-progress", progress_off, "Never report progress")->excludes(progress_flag);
  app.add_option("--progress-every", options.progress_every_s, "Seconds between progress lines")
      ->capture_default_str()
      ->check(CLI::Range(0.05, 86400.0));

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    out << app.help();
    return ExitRequest{0};
  } catch (const CLI::ParseError& error) {
    err << "scan_leak: " << error.what() << " (see --help)\n";
    return ExitRequest{2};
  }

  std::string inject_error;
  const auto injection = parse_injection(inject, inject_error);
  if (!injection) {
    err << "scan_leak: " << inject_error << "\n";
    return ExitRequest{2};
  }
  options.inject = *injection;
  options.mode = modes.at(CLI::detail::to_lower(mode));
  options.valgrind_tool = tools.at(CLI::detail::to_lower(tool));
  options.thresholds.rss_bytes = rss_kb * 1024;
  if (warmup_option->count() > 0) options.warmup = warmup;
  if (!samples.empty()) options.samples_path = samples;
  if (!snapshot_dir.empty()) options.snapshot_dir = snapshot_dir;
  if (!cache_file.empty()) options.cache_file = cache_file;
  options.snapshots = !no_snapshots;
  if (progress_on) options.progress = ProgressMode::On;
  if (progress_off) options.progress = ProgressMode::Off;

  if (options.effective_warmup() >= options.iterations) {
    err << "scan_leak: --warmup (" << options.effective_warmup() << ") must be below --iterations ("
        << options.iterations << ")\n";
    return ExitRequest{2};
  }
  const std::uint64_t fitted =
      fitted_samples(options.iterations, options.effective_sample_every(), options.effective_warmup());
  if (fitted < 3) {
    err << "scan_leak: only " << fitted << " sample(s) after the warm-up; a slope needs at least 3 "
        << "(lower --sample-every or --warmup, or raise --iterations)\n";
    return ExitRequest{2};
  }
  if (options.cache_file && options.mode != Mode::Cached) {
    err << "scan_leak: --cache-file only applies to --mode cached\n";
    return ExitRequest{2};
  }
  return options;
}

}  // namespace plumb::harness

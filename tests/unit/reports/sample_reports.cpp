#include "sample_reports.hpp"

#include "plumb/analyze/dedup.hpp"
#include "plumb/analyze/gate.hpp"

#include <cmath>
#include <cstdint>

namespace plumb::reports::testing {
namespace {

using core::Finding;
using core::FindingKind;
using core::FindingStatus;
using core::Frame;
using core::GrowthSeries;
using core::VariantResult;
using core::VariantStatus;

// Deterministic noise in [-1, 1] so fixtures are identical on every run.
class Noise {
 public:
  double next() {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state_ >> 11) / static_cast<double>(1ULL << 53) * 2.0 - 1.0;
  }

 private:
  std::uint64_t state_ = 0x9E3779B97F4A7C15ULL;
};

GrowthSeries series(const std::string& variant, const std::string& metric, const std::string& unit,
                    double base, double slope, double noise, double threshold, int samples, Noise& rng) {
  GrowthSeries out;
  out.variant = variant;
  out.metric = metric;
  out.unit = unit;
  out.intercept = base;
  out.slope_per_iteration = slope;
  out.ci_low = slope - std::fabs(slope) * 0.12 - noise / 50000;
  out.ci_high = slope + std::fabs(slope) * 0.12 + noise / 50000;
  out.threshold = threshold;
  for (int i = 0; i < samples; ++i) {
    const double iteration = 100.0 * (i + 1);
    double value = base + slope * iteration + noise * rng.next();
    if (unit == "count") {
      value = std::round(value);
    }
    out.samples.push_back({iteration, value});
  }
  out.verdict = threshold > 0 && slope > threshold ? core::GrowthVerdict::Fail : core::GrowthVerdict::Ok;
  return out;
}

VariantResult variant(const std::string& name, const std::string& tool, VariantStatus status,
                      std::optional<int> exit_code, double seconds, const std::string& command,
                      const std::string& env) {
  VariantResult out;
  out.name = name;
  out.tool = core::tool_of_log(tool);
  out.status = status;
  out.exit_code = exit_code;
  out.duration_s = seconds;
  out.command = command;
  out.repro = env.empty() ? command : env + " " + command;
  out.logs = {"logs/" + name + "/" + tool + ".log", "logs/" + name + "/samples.jsonl"};
  return out;
}

}  // namespace

core::Report realistic_report() {
  core::Report report;
  report.generated_at = "2025-01-15T09:30:00Z";
  report.run_id = "0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6";
  report.variants = {
      variant("asan-batch", "asan", VariantStatus::Failed, 23, 41.7,
              "build/asan/harness/scan_leak --mode batch --iterations 2000 --inject direct-leak",
              "ASAN_OPTIONS=detect_leaks=1:log_path=logs/asan-batch/asan.log"),
      variant("tsan-pool", "tsan", VariantStatus::Failed, 66, 73.2,
              "build/tsan/harness/scan_leak --mode pool --threads 4 --iterations 500",
              "TSAN_OPTIONS=halt_on_error=0:log_path=logs/tsan-pool/tsan.log"),
      variant(
          "memcheck-batch", "memcheck", VariantStatus::Failed, 99, 312.4,
          "valgrind --tool=memcheck --leak-check=full --xml=yes --xml-file=logs/memcheck-batch/memcheck.xml "
          "build/valgrind/harness/scan_leak --mode batch --iterations 200",
          ""),
      variant("massif-cached", "massif", VariantStatus::Ok, 0, 188.9,
              "valgrind --tool=massif --massif-out-file=logs/massif-cached/massif.out "
              "build/valgrind/harness/scan_leak --mode cached --iterations 300",
              ""),
      variant("native-stream", "native", VariantStatus::Ok, 0, 12.6,
              "build/release/harness/scan_leak --mode stream --iterations 10000", ""),
  };
  report.variants[1].note = "ThreadSanitizer reported warnings";

  const std::vector<Frame> leak_stack = {
      {"spectre::detail::copy_metadata(std::span<unsigned char const>)", "scanner/src/announcement.cpp", 88,
       "scan_leak"},
      {"spectre::parse_announcement(std::span<unsigned char const>)", "scanner/src/announcement.cpp", 131,
       "scan_leak"},
      {"spectre::scan_announcements(spectre::ViewKeys const&, std::span<spectre::Announcement const>)",
       "scanner/src/scan.cpp", 54, "scan_leak"},
      {"harness::run_batch(harness::Options const&)", "harness/src/modes.cpp", 42, "scan_leak"},
      {"main", "harness/src/main.cpp", 77, "scan_leak"}};

  Finding definite;
  definite.fingerprint = "3f9a1c0d2b7e4a51";
  definite.kind = FindingKind::LeakDefinite;
  definite.detail = "Leak_DefinitelyLost";
  definite.tools = {core::Reporter::Lsan, core::Reporter::Memcheck};
  definite.variants = {"asan-batch", "memcheck-batch"};
  definite.bytes = 16;
  definite.blocks = 1;
  definite.message = "16 bytes in 1 blocks are definitely lost (injected direct-leak)";
  definite.frames = leak_stack;

  Finding indirect = definite;
  indirect.fingerprint = "b41e77a90c3d2f18";
  indirect.kind = FindingKind::LeakIndirect;
  indirect.detail = "Leak_IndirectlyLost";
  indirect.bytes = 77;
  indirect.blocks = 2;
  indirect.message = "77 bytes in 2 blocks are indirectly lost";
  indirect.frames.insert(indirect.frames.begin(),
                         Frame{"std::vector<unsigned char>::_M_default_append(unsigned long)",
                               "/usr/include/c++/12/bits/vector.tcc", 650, "scan_leak"});

  Finding race;
  race.fingerprint = "7c0de11a5e9f3b24";
  race.kind = FindingKind::Race;
  race.detail = "data race";
  race.tools = {core::Reporter::Tsan};
  race.variants = {"tsan-pool"};
  race.message = "Write of size 8 by thread T2 races with previous read by thread T1";
  race.frames = {
      {"spectre::WorkerPool::record_match(unsigned long)", "scanner/src/worker_pool.cpp", 97, "scan_leak"},
      {"spectre::WorkerPool::worker_loop(unsigned long)", "scanner/src/worker_pool.cpp", 63, "scan_leak"}};
  race.related_stacks = {
      {{"spectre::WorkerPool::matches() const", "scanner/src/worker_pool.cpp", 121, "scan_leak"},
       {"spectre::WorkerPool::scan_all(std::span<spectre::Announcement const>)",
        "scanner/src/worker_pool.cpp", 40, "scan_leak"}}};

  Finding thread_leak;
  thread_leak.fingerprint = "e2a9f0c47d15b863";
  thread_leak.kind = FindingKind::ThreadLeak;
  thread_leak.detail = "thread leak";
  thread_leak.tools = {core::Reporter::Tsan};
  thread_leak.variants = {"tsan-pool"};
  thread_leak.message = "Thread T3 (tid=4183, finished) created by main thread is never joined";
  thread_leak.frames = {
      {"pthread_create", "", 0, "libtsan.so.2"},
      {"spectre::WorkerPool::start(unsigned long)", "scanner/src/worker_pool.cpp", 31, "scan_leak"}};

  Finding reachable;
  reachable.fingerprint = "0a1b2c3d4e5f6071";
  reachable.kind = FindingKind::LeakReachable;
  reachable.detail = "Leak_StillReachable";
  reachable.tools = {core::Reporter::Memcheck};
  reachable.variants = {"memcheck-batch"};
  reachable.bytes = 72704;
  reachable.blocks = 1;
  reachable.message = "72,704 bytes in 1 blocks are still reachable in loss record 3 of 3";
  reachable.frames = {{"_GLOBAL__sub_I_eh_alloc.cc", "", 0, "libstdc++.so.6.0.30"},
                      {"call_init", "./elf/dl-init.c", 70, "ld-linux-x86-64.so.2"}};

  Finding suppressed;
  suppressed.fingerprint = "5d6e7f8091a2b3c4";
  suppressed.kind = FindingKind::MemoryError;
  suppressed.detail = "Cond";
  suppressed.tools = {core::Reporter::Memcheck};
  suppressed.variants = {"memcheck-batch"};
  suppressed.message = "Conditional jump or move depends on uninitialised value(s)";
  suppressed.frames = {
      {"sodium_memcmp", "", 0, "libsodium.so.23.3.0"},
      {"spectre::view_tag_matches(unsigned char, unsigned char)", "scanner/src/scan.cpp", 22, "scan_leak"}};
  suppressed.status = FindingStatus::Suppressed;
  suppressed.suppression = "libsodium-constant-time-compare";

  Finding baseline;
  baseline.fingerprint = "c0ffee0badf00d17";
  baseline.kind = FindingKind::FdLeak;
  baseline.detail = "FdNotClosed";
  baseline.tools = {core::Reporter::Memcheck};
  baseline.variants = {"memcheck-batch"};
  baseline.message = "Open file descriptor 3: logs/memcheck-batch/samples.jsonl";
  baseline.frames = {{"open", "", 0, "libc.so.6"},
                     {"harness::SampleWriter::SampleWriter(std::filesystem::path const&)",
                      "harness/src/sample_writer.cpp", 19, "scan_leak"}};
  baseline.status = FindingStatus::Baseline;

  Finding growth;
  growth.fingerprint = "9e8d7c6b5a493827";
  growth.kind = FindingKind::HeapGrowth;
  growth.detail = "heap";
  growth.tools = {core::Reporter::Samples};
  growth.variants = {"native-stream"};
  growth.message = "live heap grows +48 B/iter (threshold 8 B/iter)";

  report.findings = {definite, indirect, race, thread_leak, reachable, suppressed, baseline, growth};
  // The same leak reported again by another variant: one group, two reports.
  Finding again = definite;
  again.tools = {core::Reporter::Memcheck};
  again.variants = {"memcheck-batch"};
  report.findings.push_back(again);

  Noise rng;
  report.growth = {
      series("native-stream", "rss", "kB", 14200, 0.004, 40, 2.0, 100, rng),
      series("native-stream", "heap", "bytes", 3.1e6, 48.0, 9000, 8.0, 100, rng),
      series("native-stream", "threads", "count", 5, 0, 0.4, 0.01, 100, rng),
      series("native-stream", "fds", "count", 7, 0, 0.3, 0.01, 100, rng),
      series("native-stream", "cache_bytes", "bytes", 2.0e6, 120.0, 40000, 512.0, 100, rng),
      series("massif-cached", "massif_heap", "bytes", 2.4e6, 36.0, 12000, 64.0, 30, rng),
  };
  report.growth[5].axis = core::GrowthAxis::Snapshot;  // massif's x is its snapshot number
  report.growth[5].sites = {{"spectre::ScanCache::insert(spectre::CacheKey const&, spectre::ScanOutcome)",
                             "scanner/src/cache.cpp", 58, 31.5, 9830400},
                            {"std::__detail::_Hashtable_alloc<...>::_M_allocate_buckets(unsigned long)",
                             "/usr/include/c++/12/bits/hashtable_policy.h", 1975, 4.25, 1310720},
                            {"sqlite3MemMalloc", "", 0, 0.25, 262144}};
  report.suppressions = {
      {"libsodium-constant-time-compare", 1, false, false, "sodium_memcmp is constant-time by design"},
      {"glibc-dl-init", 0, true, false, "dynamic loader allocations at startup"},
      {"old-sqlite-race", 0, true, true, "fixed upstream in 3.40; expired 2024-12-31"}};
  // Decisions are the gate's, as in a real run: renderers are tested on what it decided.
  analyze::apply_gate(report, analyze::default_gate_policy());
  analyze::sort_findings(report.findings);
  return report;
}

core::Report clean_report() {
  core::Report report;
  report.generated_at = "2025-01-15T10:00:00Z";
  report.run_id = "0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d7";
  report.variants = {variant("native-batch", "native", VariantStatus::Ok, 0, 3.2,
                             "build/release/harness/scan_leak --mode batch", "")};
  Noise rng;
  report.growth = {series("native-batch", "heap", "bytes", 1.0e6, 0.0, 50, 8.0, 20, rng)};
  analyze::apply_gate(report, analyze::default_gate_policy());
  analyze::sort_findings(report.findings);
  return report;
}

const std::vector<std::string>& injection_payloads() {
  static const std::vector<std::string> kPayloads = {
      "<script>document.body.setAttribute('data-pwned','script')</script>",
      "\"><img src=x onerror=\"document.body.setAttribute('data-pwned','img')\">",
      "'><svg onload=document.body.setAttribute('data-pwned','svg')>",
      "</script><script>document.title='pwned'</script>",
      "javascript:document.body.setAttribute('data-pwned','href')",
      "{{SCRIPT}} {{CSP}} &amp; \xE2\x80\xA8 \x1b[31m \xff",
      // Valid UTF-8 that XML 1.0 forbids or discourages: U+FFFE, U+FFFF, U+FDD0, U+10FFFF, a C1
      // control (U+0085); then a lone surrogate (U+D800, not valid UTF-8) and a raw control.
      "fn\xEF\xBF\xBE\xEF\xBF\xBF\xEF\xB7\x90\xF4\x8F\xBF\xBF\xC2\x85 \xED\xA0\x80 \x01\x0b",
  };
  return kPayloads;
}

core::Report injection_report() {
  const auto& p = injection_payloads();
  core::Report report;
  report.generated_at = p[0];
  report.errors = {p[1], p[3]};
  // The tool is an enum: no text of a tool can reach it; every other field carries a payload.
  VariantResult v = variant(p[0], "native", VariantStatus::Crashed, std::nullopt, 1.5, p[3], p[2]);
  v.logs = {p[4], "logs/" + p[1] + ".log", "//evil.example/x.log"};
  v.note = p[5];
  report.variants = {v};
  for (std::size_t i = 0; i < p.size(); ++i) {
    Finding finding;
    finding.fingerprint = p[i];
    finding.kind = core::kAllFindingKinds[i % std::size(core::kAllFindingKinds)];
    finding.detail = p[(i + 1) % p.size()];
    finding.tools = {core::kReporters[i % std::size(core::kReporters)].id};
    finding.variants = {p[0]};
    finding.bytes = 10 + i;
    finding.blocks = 1;
    finding.message = p[(i + 3) % p.size()];
    finding.frames = {{p[i], p[(i + 1) % p.size()], 7, p[(i + 2) % p.size()]},
                      {p[(i + 4) % p.size()], "src/" + p[(i + 5) % p.size()] + ".cpp", 12, ""}};
    finding.related_stacks = {{{p[(i + 3) % p.size()], p[4], 3, ""}}};
    if (i % 3 == 1) {
      finding.status = FindingStatus::Suppressed;
      finding.suppression = p[(i + 1) % p.size()];
    }
    report.findings.push_back(finding);
  }
  GrowthSeries s;
  s.variant = p[0];
  s.metric = p[1];
  s.unit = p[3];
  s.slope_per_iteration = 2;
  s.threshold = 1;
  s.verdict = core::GrowthVerdict::Fail;
  s.samples = {{1, 10}, {2, 12}, {3, 14}};
  s.sites = {{p[0], p[1], 3, 1.0, 10}};
  report.growth = {s};
  report.suppressions = {{p[1], 1, false, false, p[0]}, {p[3], 0, true, true, p[4]}};
  report.variants[0].errors = {p[2], p[5]};
  analyze::apply_gate(report, analyze::default_gate_policy());
  analyze::sort_findings(report.findings);
  return report;
}

core::Report doctor_report() {
  core::Report report;
  report.run_id = "doctor-run";
  VariantResult doctor;
  doctor.name = "doctor";
  doctor.tool = core::Tool::Doctor;
  doctor.status = VariantStatus::Ok;
  doctor.duration_s = 15.0;
  doctor.command = "plumb doctor --pid 4356 --sites";
  report.variants = {doctor};
  const auto seconds = [](double base, double per_second, double threshold, const std::string& metric) {
    GrowthSeries out;
    out.variant = "doctor";
    out.metric = metric;
    out.unit = "bytes";
    out.axis = core::GrowthAxis::Second;
    out.intercept = base;
    out.slope_per_iteration = per_second;
    out.ci_low = per_second * 0.99;
    out.ci_high = per_second * 1.01;
    out.threshold = threshold;
    for (int i = 0; i <= 30; ++i) {
      out.samples.push_back({0.5 * i, base + per_second * 0.5 * i});
    }
    out.verdict = core::GrowthVerdict::Fail;
    return out;
  };
  GrowthSeries site = seconds(0, 1.25 * 1024 * 1024, 1024, "live bytes at keep_a@grow.c");
  site.sites = {{"keep_a", "grow.c", 4, 1.25 * 1024 * 1024, 19818496}};
  report.growth = {seconds(5.6e6, 1.3 * 1024 * 1024, 85.3 * 1024, "rss"), site};
  Finding rss;  // as the doctor words it
  rss.fingerprint = "733bbfe8798c2f25";
  rss.kind = FindingKind::HeapGrowth;
  rss.detail = "rss";
  rss.metric = "rss";
  rss.tools = {core::Reporter::Doctor};
  rss.variants = {"doctor"};
  rss.message = "RSS grew from 9408 KiB to 24888 KiB over 12.0 s (1289.4 KiB/s): leak suspected";
  report.findings = {rss};
  analyze::apply_gate(report, analyze::default_gate_policy());
  return report;
}

}  // namespace plumb::reports::testing

// The report model every parser fills, the analyzer annotates and every renderer reads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace plumb::core {

// The unified finding taxonomy (design: "Finding kinds").
enum class FindingKind {
  LeakDefinite,
  LeakIndirect,
  LeakPossible,
  LeakReachable,
  ThreadLeak,
  Race,
  Deadlock,
  FdLeak,
  MemoryError,
  Ub,
  Crash,
  HeapGrowth,
};

// Every kind, in taxonomy order.
inline constexpr FindingKind kAllFindingKinds[] = {
    FindingKind::LeakDefinite, FindingKind::LeakIndirect, FindingKind::LeakPossible,
    FindingKind::LeakReachable, FindingKind::ThreadLeak, FindingKind::Race,
    FindingKind::Deadlock, FindingKind::FdLeak, FindingKind::MemoryError,
    FindingKind::Ub, FindingKind::Crash, FindingKind::HeapGrowth};

// The report spelling of a kind, e.g. "leak.definite".
std::string_view to_string(FindingKind kind);

// The kind spelled `text`, or nullopt when it is not one of the taxonomy's names.
std::optional<FindingKind> parse_finding_kind(std::string_view text);

// Whether a finding is new, accepted by the baseline, or matched by a suppression.
enum class FindingStatus { New, Baseline, Suppressed };

// The report spelling of a status: "new", "baseline" or "suppressed".
std::string_view to_string(FindingStatus status);

// The status spelled `text`, or nullopt.
std::optional<FindingStatus> parse_finding_status(std::string_view text);

// One stack frame as a tool printed it; empty strings and line 0 mean "unknown".
struct Frame {
  std::string function;
  std::string file;
  int line = 0;
  std::string object;

  bool operator==(const Frame&) const = default;
};

// One defect found by one or more tools.
struct Finding {
  std::string fingerprint;             // Set by analysis; empty straight out of a parser.
  FindingKind kind = FindingKind::Crash;
  std::string detail;                  // The tool's own type, e.g. "Leak_DefinitelyLost", "heap-use-after-free".
  std::vector<std::string> tools;      // "memcheck", "lsan", ...
  std::vector<std::string> variants;   // Variant names that produced it.
  std::uint64_t bytes = 0;             // Direct bytes for leaks; 0 when not applicable.
  std::uint64_t blocks = 0;            // Direct blocks for leaks; 0 when not applicable.
  std::string message;                 // One line a human reads first.
  std::vector<Frame> frames;           // Innermost first; allocator/runtime frames removed by analysis.
  std::vector<std::vector<Frame>> related_stacks;  // Other threads' or allocation stacks.
  FindingStatus status = FindingStatus::New;
  std::optional<std::string> suppression;  // Id of the entry that suppressed it.
};

// How a variant's run ended, as far as plumb can tell.
enum class VariantStatus { Ok, Failed, Timeout, Crashed, Incomplete, Skipped };

// The report spelling of a variant status, e.g. "timeout".
std::string_view to_string(VariantStatus status);

// The variant status spelled `text`, or nullopt.
std::optional<VariantStatus> parse_variant_status(std::string_view text);

// One variant's run: what ran, how it ended, where its raw logs are.
struct VariantResult {
  std::string name;
  std::string tool;  // "memcheck", "massif", "asan", "tsan", "native", ...
  VariantStatus status = VariantStatus::Ok;
  std::optional<int> exit_code;  // nullopt when killed by a signal or never started.
  double duration_s = 0.0;
  std::string command;  // Shell-quoted argv.
  std::string repro;    // A shell line with the environment that reproduces this run.
  std::vector<std::string> logs;  // Paths relative to the report folder where possible.
  bool canary = false;            // A run that must produce findings to prove its tool alive.
  std::string note;               // Why the status is what it is, when not ok.
};

// One point of a sampled series.
struct SamplePoint {
  double iteration = 0;
  double value = 0;

  bool operator==(const SamplePoint&) const = default;
};

// An allocation site whose bytes grow over iterations (from massif snapshots).
struct GrowthSite {
  std::string function;
  std::string file;
  int line = 0;
  double slope_per_iteration = 0;  // Bytes per iteration (or per snapshot when iterations are unknown).
  std::uint64_t last_bytes = 0;
};

// A sampled metric over iterations, its fitted slope and the verdict against a threshold.
struct GrowthSeries {
  std::string variant;
  std::string metric;  // "rss", "heap", "threads", "fds", "cache_bytes", "massif_heap", ...
  std::string unit;    // "bytes", "kB", "count", ...
  double slope_per_iteration = 0;
  double intercept = 0;  // Of the fitted line, for drawing it.
  double ci_low = 0;
  double ci_high = 0;
  double threshold = 0;  // Slope above which the verdict fails; <= 0 means no threshold.
  std::vector<SamplePoint> samples;
  std::string verdict = "ok";  // "ok" or "fail".
  std::vector<GrowthSite> sites;
};

// One unified suppression's use in this report.
struct SuppressionUse {
  std::string id;
  std::uint64_t hits = 0;
  bool stale = false;    // No finding matched it.
  bool expired = false;  // Its expiry date has passed.
  std::string reason;
};

// The whole report: report.json's schema "plumb.report/1".
struct Report {
  std::string verdict = "fail";  // "pass" or "fail"; fail until the gate says otherwise.
  std::vector<VariantResult> variants;
  std::vector<Finding> findings;
  std::vector<GrowthSeries> growth;
  std::vector<SuppressionUse> suppressions;
  std::vector<std::string> gate_reasons;  // Why the verdict is fail, one line each.
  std::string generated_at;               // ISO-8601 UTC.
};

// The schema identifier written into report.json.
inline constexpr std::string_view kReportSchema = "plumb.report/1";

}  // namespace plumb::core

// The report model every parser fills, the analyzer annotates and every renderer reads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plumb/core/tools.hpp"

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
inline constexpr FindingKind kAllFindingKinds[] = {FindingKind::LeakDefinite, FindingKind::LeakIndirect,
                                                   FindingKind::LeakPossible, FindingKind::LeakReachable,
                                                   FindingKind::ThreadLeak,   FindingKind::Race,
                                                   FindingKind::Deadlock,     FindingKind::FdLeak,
                                                   FindingKind::MemoryError,  FindingKind::Ub,
                                                   FindingKind::Crash,        FindingKind::HeapGrowth};

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

// The answer of a run, of one variant, or of the whole report: pass, fail (the gate found
// something to act on) or error (the run could not be judged: nothing proves it clean).
enum class Verdict { Pass, Fail, Error };

// The report spelling of a verdict: "pass", "fail" or "error".
std::string_view to_string(Verdict verdict);

// The verdict spelled `text`, or nullopt.
std::optional<Verdict> parse_verdict(std::string_view text);

// The exit code a verdict maps to: 0 pass, 1 fail, 3 error (see errors.hpp).
int exit_code_of(Verdict verdict);

// Why a finding does or does not fail the gate; decided once by analysis (analyze/gate.hpp).
enum class Disposition {
  Gating,         // New, of a gating kind, seen outside canaries: the run fails on it.
  KindNotGating,  // New, but its kind (e.g. leak.reachable, or growth with fail_on_growth off) does not gate.
  Baseline,       // Accepted by the baseline.
  Suppressed,     // Matched by a suppression (Finding::suppression names it).
  CanaryExpected,  // Seen only by canary variants, whose defects are planted on purpose.
};

// The report spelling of a disposition, e.g. "canary-expected".
std::string_view to_string(Disposition disposition);

// The disposition spelled `text`, or nullopt.
std::optional<Disposition> parse_disposition(std::string_view text);

// What kind of memory error a finding is, the same whichever tool found it (identity version 3,
// docs/ARCHITECTURE.md "Identity"); None for findings that are not memory errors.
enum class ErrorClass {
  None,
  HeapBufferOverflow,    // Before or after a live heap block (memcheck "N bytes after a block ... alloc'd").
  StackBufferOverflow,   // Past a stack object (ASan stack-buffer-overflow/underflow).
  GlobalBufferOverflow,  // Past a global object.
  ContainerOverflow,     // Past a container's size within its capacity (ASan annotations only).
  HeapUseAfterFree,      // Inside a freed heap block.
  StackUseAfterReturn,   // In a dead stack frame (memcheck "below stack pointer").
  StackUseAfterScope,    // In a stack object past its scope (ASan only).
  DoubleFree,            // Freeing a block already freed.
  InvalidFree,           // Freeing what was never allocated (or not its start).
  MismatchedFree,        // Freeing with the wrong deallocator (new[]/delete, malloc/delete).
  UninitialisedValue,    // A decision or a system call made on uninitialised memory.
  ParamOverlap,          // memcpy-like source and destination overlap.
  WildAccess,            // An address no block, stack or global owns.
  Unclassified,          // A memory error whose description plumb cannot class (said so, never guessed).
};

// The report spelling of an error class, e.g. "heap-buffer-overflow"; "" for None.
std::string_view to_string(ErrorClass error_class);

// The error class spelled `text` ("" is None), or nullopt.
std::optional<ErrorClass> parse_error_class(std::string_view text);

// Whether the faulting access read or wrote memory, when the tool says.
enum class Access { None, Read, Write };

// The report spelling of an access: "read", "write", or "" for None.
std::string_view to_string(Access access);

// The access spelled `text` ("" is None), or nullopt.
std::optional<Access> parse_access(std::string_view text);

// One stack frame as a tool printed it; empty strings and line 0 mean "unknown".
struct Frame {
  std::string function;
  std::string file;
  int line = 0;
  std::string object;
  bool library =
      false;  // Set by analysis: library code (core/frame_origin.hpp), shown but never a finding's "at".

  bool operator==(const Frame&) const = default;
};

// What one source (a tool in a variant, e.g. memcheck in one CTest test) saw of a finding that
// several sources saw: its own total, where the finding's bytes and blocks are the largest one's.
struct FindingShare {
  std::vector<Reporter> tools;
  std::vector<std::string> variants;
  std::uint64_t bytes = 0;
  std::uint64_t blocks = 0;
  std::uint64_t occurrences = 0;

  bool operator==(const FindingShare&) const = default;
};

// One defect found by one or more tools.
struct Finding {
  std::string fingerprint;  // Set by analysis; empty straight out of a parser.
  FindingKind kind = FindingKind::Crash;
  std::string detail;              // The tool's own type, e.g. "Leak_DefinitelyLost", "heap-use-after-free".
  std::vector<Reporter> tools;     // Who reported it (memcheck, lsan, ...), each once, sorted by name.
  std::vector<std::string> variants;  // Variant names that produced it.
  std::uint64_t bytes = 0;            // Direct bytes for leaks; 0 when not applicable.
  std::uint64_t blocks = 0;           // Direct blocks for leaks; 0 when not applicable.
  std::uint64_t occurrences = 1;      // How often the tools saw it (memcheck's own error count), summed.
  std::vector<FindingShare> shares;   // Set by analysis when several sources saw it: each one's own
                                      // amounts (by tool, then variant); empty when one source did.
  std::string message;                // One line a human reads first.
  std::string site;           // Set by analysis: what it is "at", its innermost user frame's identity.
  std::vector<Frame> frames;  // Innermost first; allocator/runtime frames removed by analysis.
  std::vector<std::vector<Frame>> related_stacks;  // Other threads' or allocation stacks.
  std::vector<std::string> stack_labels;           // What each stack is, frames first, as the tool said it
                                          // ("Previous write of size 4 ... by thread T1"); may be shorter.
  std::string address;  // The tool's own words on the address touched, from the parser ("Address 0x.. is 4
                        // bytes after a block of size 40 alloc'd", "Location is global 'x' of size 4 at ..").
  ErrorClass error_class = ErrorClass::None;  // Set by analysis for memory errors (analyze/classify.hpp).
  Access access = Access::None;               // Set by analysis where the tool says read or write.
  std::string allocator;  // Set by analysis: what allocated a leaked block ("malloc", "new[]", ...).
  std::string location;   // Set by analysis: what the access touched, as identity names it ("block from
                          // malloc at make@x.c", "global 'counter'+4"); empty when the tool names nothing.
  std::string metric;     // The growth series this finding stands for ("threads"); empty for the rest.
  std::optional<std::uint64_t> baseline_bytes;  // Set by analysis when a baselined leak grew past what
                                                // the baseline accepted: the bytes it accepted...
  std::uint64_t grown_bytes = 0;                // ... and the bytes it grew to (the same measure).
  FindingStatus status = FindingStatus::New;
  std::optional<std::string> suppression;         // Id of the entry that suppressed it.
  Disposition disposition = Disposition::Gating;  // Set by the gate; renderers read it, never re-decide it.
};

// Whether the gate decided that this finding fails the run.
inline bool is_gating(const Finding& finding) {
  return finding.disposition == Disposition::Gating;
}

// The frame a stack is "at", as analysis marked its frames: the innermost frame that is not
// library code and has a source line, else the innermost that is not library code, else the
// innermost frame; nullptr when there is none. Every renderer's "at" is this one.
const Frame* at_frame(const std::vector<Frame>& frames);

// at_frame of the finding's own stack.
const Frame* at_frame(const Finding& finding);

// The key findings are shown together by: kind and site, with the error class, access, location and
// allocator that tell two bugs at one site apart ("leak.definite|checked_alloc@pool.cpp||||malloc");
// the call paths that reach one bug share it.
std::string site_key(const Finding& finding);

// One bug at one site: the findings that share a site_key, each a call path reaching it, led by
// the first of them in report order. The gate builds the report's sites once (group_sites); every
// renderer reads them and none groups findings on its own.
struct Site {
  std::string key;  // site_key of its findings.
  FindingKind kind = FindingKind::Crash;
  std::vector<std::size_t> findings;  // Indices into Report::findings, in report order; the first leads.
  std::uint64_t bytes = 0;            // The site's totals: the sum over its call paths, which for a
  std::uint64_t blocks = 0;           // leak is what the tool's own summary counts at that site.
  std::uint64_t occurrences = 0;
  std::size_t gating = 0;                         // How many of its findings fail the run.
  Disposition disposition = Disposition::Gating;  // Gating when any of them does, else the lead's.

  bool operator==(const Site&) const = default;
};

// `findings` (in report order, dispositions set) grouped by site_key, in the order each site first
// appears; a finding with neither site nor fingerprint stands alone.
std::vector<Site> group_sites(const std::vector<Finding>& findings);

// How a variant's run ended, as far as plumb can tell.
enum class VariantStatus { Ok, Failed, Timeout, Crashed, Incomplete, Skipped };

// The report spelling of a variant status, e.g. "timeout".
std::string_view to_string(VariantStatus status);

// The variant status spelled `text`, or nullopt.
std::optional<VariantStatus> parse_variant_status(std::string_view text);

// One variant's run: what ran, how it ended, where its raw logs are.
// Where a test's native time (its time without any tool) was read.
enum class NativeTimeSource {
  Unknown,        // Nowhere: no native run of it in the report and no CTest cost data.
  NativeRun,      // A run of the same test under the native tool in the same report.
  CtestCostData,  // CTest's own record of it (<build tree>/Testing/Temporary/CTestCostData.txt).
};

// The report spelling of a native time's source: "unknown", "native-run", "ctest-cost-data".
std::string_view to_string(NativeTimeSource source);

// The native time source spelled `text`, or nullopt.
std::optional<NativeTimeSource> parse_native_time_source(std::string_view text);

// A CTest test killed at its time limit under a tool, and the way out: decided once, read by
// every report file through VariantResult::note and report.json's "timed_out".
struct TimeoutAccount {
  double limit_s = 0;              // The limit it was killed at.
  double ctest_timeout_s = 0;      // Its CTest TIMEOUT, which the limit scales; 0: the tier's timeout_s.
  double slowdown = 1;             // The tool's usual slowdown (core::ToolSpec::slowdown).
  std::optional<double> native_s;  // How long it takes natively; nullopt: not known.
  NativeTimeSource native_from = NativeTimeSource::Unknown;
  std::string native_where;    // The native run's name or the cost data file it was read from.
  std::string run_alone;       // The command that runs it alone.
  std::string exclude;         // The command that runs the rest without it.
  std::string exclude_config;  // The selection that leaves it out in plumb.toml.
};

struct VariantResult {
  std::string name;   // Unique in the report; "<suite>/<test>" for one test of a CTest variant.
  std::string suite;  // The CTest variant this test belongs to; empty for a variant that runs one program.
  std::string test;   // The test's name as CTest knows it; empty with suite.
  Tool tool = Tool::Native;  // What it ran under (report.json: its name, core/tools.hpp).
  VariantStatus status = VariantStatus::Ok;
  std::optional<int> exit_code;  // nullopt when killed by a signal or never started.
  double duration_s = 0.0;
  std::string command;            // Shell-quoted argv.
  std::string repro;              // A shell line with the environment that reproduces this run.
  std::vector<std::string> logs;  // Paths relative to the report folder where possible.
  bool canary = false;            // A run that must produce findings to prove its tool alive.
  std::string note;               // Why the status is what it is, when not ok.
  bool skipped_by_rule = false;   // Skipped by the test's own rule (CTest's SKIP_RETURN_CODE, ...): not an error.
  std::optional<TimeoutAccount> timed_out;  // A CTest test killed at its limit: why, and the way out.
  std::vector<std::string>
      errors;  // Why this variant cannot be judged (cut log, no output, ...); set by analysis.
  std::vector<std::string> caught;   // A canary's planted defects found, e.g. "leak.definite at plant_leak".
  Verdict verdict = Verdict::Error;  // Set by the gate: error until it says otherwise.
};

// What a series' x axis counts, and so what its slopes are per: the harness samples its
// iterations, massif numbers its snapshots, the doctor watches a live process in seconds.
enum class GrowthAxis {
  Iteration,  // A harness iteration (samples.jsonl).
  Snapshot,   // A massif snapshot number.
  Second,     // Seconds since the doctor started watching.
};

// The report spelling of an axis: "iteration", "snapshot" or "second".
std::string_view to_string(GrowthAxis axis);

// The axis spelled `text`, or nullopt.
std::optional<GrowthAxis> parse_growth_axis(std::string_view text);

// One point of a sampled series: x on the series' axis (an iteration, a snapshot, a second).
struct SamplePoint {
  double iteration = 0;
  double value = 0;

  bool operator==(const SamplePoint&) const = default;
};

// An allocation site whose bytes grow along its series' axis (massif snapshots, the doctor's seconds).
struct GrowthSite {
  std::string function;
  std::string file;
  int line = 0;
  double slope_per_iteration = 0;  // Bytes per unit of its series' axis (per snapshot, per second, ...).
  std::uint64_t last_bytes = 0;
};

// A series' slope against its threshold: a measurement, which the gate then weighs.
enum class GrowthVerdict {
  Ok,    // Not above the threshold, or its confidence interval reaches zero.
  Fail,  // Above the threshold with the whole confidence interval above zero (stats::judge_growth).
};

// The report spelling of a series verdict: "ok" or "fail".
std::string_view to_string(GrowthVerdict verdict);

// The series verdict spelled `text`, or nullopt.
std::optional<GrowthVerdict> parse_growth_verdict(std::string_view text);

// A sampled metric along its axis, its fitted slope and the verdict against a threshold.
struct GrowthSeries {
  std::string variant;
  std::string metric;  // "rss", "heap", "threads", "fds", "cache_bytes", "massif_heap", ...
  std::string unit;    // "bytes", "kB", "count", ...
  GrowthAxis axis = GrowthAxis::Iteration;  // What x counts; every slope below is per one of it.
  double slope_per_iteration = 0;
  double intercept = 0;  // Of the fitted line, for drawing it.
  double ci_low = 0;
  double ci_high = 0;
  double threshold = 0;  // Slope above which the verdict fails; <= 0 means no threshold.
  std::vector<SamplePoint> samples;
  GrowthVerdict verdict = GrowthVerdict::Ok;
  std::vector<GrowthSite> sites;
  bool gating = false;  // Set by the gate: the series fails the run (verdict fail, gating, not a canary's).
  std::string finding;  // Set by the gate: the fingerprint of the finding a failing series is (its
                        // kind from the metric table), so each file links the two; empty when ok.
};

// One unified suppression's use in this report.
struct SuppressionUse {
  std::string id;
  std::uint64_t hits = 0;
  bool stale = false;    // No finding matched it.
  bool expired = false;  // Its expiry date has passed.
  std::string reason;
};

// Findings of one kind past the report's cap (project.max_findings_per_kind): counted, not listed.
struct Truncation {
  FindingKind kind = FindingKind::Crash;
  std::uint64_t kept = 0;         // Listed in full: the largest, new ones first.
  std::uint64_t dropped = 0;      // Distinct findings counted here only.
  std::uint64_t dropped_new = 0;  // Of those, how many were new (not suppressed, not in the baseline).
  std::uint64_t dropped_bytes = 0;
  std::uint64_t dropped_occurrences = 0;

  bool operator==(const Truncation&) const = default;
};

// One reason the verdict is not pass: what it says and which verdict it calls for.
struct VerdictReason {
  Verdict verdict = Verdict::Fail;  // Fail or Error.
  std::string variant;              // The variant it concerns; empty for the whole run.
  std::string text;                 // One line, e.g. "new leak.definite in leaky (memcheck) [ab12...]".

  bool operator==(const VerdictReason&) const = default;
};

// A log a shard's run left and the parser that reads it, as the shard records it for plumb merge.
struct RecordedLog {
  std::string path;  // As the report links it: relative to the shard's report folder where possible.
  std::optional<LogFormat> format;  // Its parser's; nullopt: kept, not parsed.
  bool foreign = false;  // May hold other text (the program's stderr): unrecognised is no error.
};

// One planned run of a shard as it ended, before analysis: what plumb merge analyses again with
// the runs of the other shards, so the merged report is the one an unsharded run makes.
struct RecordedRun {
  std::size_t position = 0;  // Its place in the shard plan (ShardRecord::plan).
  VariantResult result;      // How it ended, before analysis judged it.
  std::vector<RecordedLog> logs;
  bool expects_output = true;
  int signal = 0;
  bool exit_code_only = false;
  bool killed_by_plumb = false;
  std::vector<std::string> errors;  // Why it cannot be judged, known before its logs are read.
};

// How a plan's runs were dealt to its shards: equal numbers of runs, or equal seconds by the
// durations of an earlier report (--timings).
enum class ShardBalance { Count, Timings };

// The report spelling of a balance: "count" or "timings".
std::string_view to_string(ShardBalance balance);

// The balance spelled `text`, or nullopt.
std::optional<ShardBalance> parse_shard_balance(std::string_view text);

// What a run made with plumb run --shard K/N ran of the whole plan, for plumb merge to check
// that the shards make one plan, each once, and to analyse them together.
struct ShardRecord {
  int index = 0;                  // K, from 1.
  int count = 0;                  // N.
  ShardBalance balance = ShardBalance::Count;
  std::string timings_run_id;     // With Timings: the run id of the report whose durations balanced it.
  std::vector<std::string> plan;  // Every planned run's name, in report order, whichever shard runs it.
  std::string plan_digest;        // A digest of the plan and of the analysis inputs (config, suppressions, baseline).
  std::string source_root;        // The project root analysis made source paths relative to.
  std::vector<RecordedRun> runs;  // This shard's runs, in plan order; empty for a shard given nothing.
};

// The whole report: report.json's schema "plumb.report/2".
struct Report {
  Verdict verdict = Verdict::Error;  // Error until the gate says otherwise.
  std::vector<VariantResult> variants;
  std::vector<Finding> findings;
  std::vector<GrowthSeries> growth;
  std::vector<SuppressionUse> suppressions;
  std::vector<std::string> errors;  // Run-level problems not tied to a variant (e.g. a merged input's error).
  std::vector<VerdictReason> reasons;  // Why the verdict is not pass: errors first, then failures.
  std::string generated_at;            // ISO-8601 UTC.
  std::string run_id;  // A random UUID made when the report is; every file of the set names it.
  std::vector<Truncation> truncated;  // Kinds with more distinct findings than the cap; empty: all listed.
  int identity = 0;                   // The identity version its fingerprints were made with; 0: unknown.
  std::string plumb_version;          // The plumb that made it ("0.1.0 (git 1a2b3c)"); every file names it.
  std::optional<ShardRecord> shard;   // Set by plumb run --shard: which part of the plan this report is.
  std::vector<Site> sites;            // Set by the gate: the findings by site (group_sites).
};

// The schema identifier written into report.json.
inline constexpr std::string_view kReportSchema = "plumb.report/2";

// The previous schema, still read (by plumb merge): verdict pass/fail, gate_reasons as strings.
inline constexpr std::string_view kReportSchemaV1 = "plumb.report/1";

}  // namespace plumb::core

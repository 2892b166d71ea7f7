// The entry functions of every fuzz target, shared by the libFuzzer executables and the
// fuzz_regressions gtest so that crash inputs keep running in CI without libFuzzer.
//
// Each entry feeds hostile bytes through one reader the way plumb does in production (parse, then
// analyze and render) and returns normally unless something is wrong. Documented input errors
// (core::UsageError, core::InfrastructureError) are expected and swallowed; every other exception,
// a broken invariant (check() aborts), a sanitizer report or a hang is a bug.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <set>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <expat.h>

#include "plumb/analyze/analyze.hpp"
#include "plumb/analyze/baseline.hpp"
#include "plumb/analyze/merge.hpp"
#include "plumb/analyze/suppressions.hpp"
#include "plumb/core/config.hpp"
#include "plumb/core/errors.hpp"
#include "plumb/core/report_json.hpp"
#include "plumb/parse/massif.hpp"
#include "plumb/parse/memcheck_xml.hpp"
#include "plumb/parse/record_key.hpp"
#include "parse_result_json.hpp"
#include "plumb/parse/samples.hpp"
#include "plumb/parse/sanitizer_text.hpp"
#include "plumb/reports/html.hpp"
#include "plumb/reports/junit.hpp"
#include "plumb/reports/sarif.hpp"
#include "plumb/reports/terminal.hpp"
#include "plumb/run/plan.hpp"
#include "spectre/announcement.hpp"
#include "spectre/keys.hpp"
#include "spectre/scan.hpp"
#include "spectre/stream.hpp"

namespace plumb::fuzz {

// The bytes of one fuzz input.
using Bytes = std::span<const std::uint8_t>;

// Called on a broken invariant before aborting; the regression test installs one that throws, so
// one bad input fails one test instead of the whole test program.
inline void (*on_broken_invariant)(const char* what) = nullptr;

// Aborts with `what` when `condition` is false: a broken invariant is a crash the fuzzer keeps.
inline void check(bool condition, const char* what) {
  if (!condition) {
    if (on_broken_invariant != nullptr) {
      on_broken_invariant(what);
    }
    std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
    std::abort();
  }
}

// The input as text.
inline std::string as_text(Bytes bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// Whether `xml` is a well-formed XML 1.0 document (expat, which refuses every character XML 1.0
// forbids, U+FFFE and U+FFFF included).
inline bool well_formed_xml(std::string_view xml) {
  XML_Parser parser = XML_ParserCreate("UTF-8");
  const bool ok = XML_Parse(parser, xml.data(), static_cast<int>(xml.size()), 1) == XML_STATUS_OK;
  XML_ParserFree(parser);
  return ok;
}

// Whether `text` is one JSON document that a strict reader accepts (valid UTF-8 included).
inline bool parses_as_json(std::string_view text) {
  return !nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false).is_discarded();
}

// The JSON of the HTML page's data block.
inline std::string html_data_block(const std::string& html) {
  constexpr std::string_view open = "<script type=\"application/json\" id=\"plumb-report-data\">";
  const std::size_t begin = html.find(open);
  const std::size_t end = begin == std::string::npos ? begin : html.find("</script>", begin);
  return end == std::string::npos ? std::string()
                                  : html.substr(begin + open.size(), end - begin - open.size());
}

// Renders `report` through every writer plumb runs on a finished report; each output must parse.
inline void render_everything(const core::Report& report) {
  const std::string json =
      core::to_json(report).dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  check(parses_as_json(json), "report.json does not parse");
  const std::string html = reports::render_html(report);
  check(parses_as_json(html_data_block(html)), "report.html's data block does not parse");
  check(html.find('\0') == std::string::npos, "report.html holds a NUL byte");
  check(parses_as_json(reports::render_sarif(report)), "report.sarif does not parse");
  check(well_formed_xml(reports::render_junit(report)), "junit.xml is not well-formed XML");
  (void)reports::render_terminal_summary(report, reports::TerminalStyle{}, "out");
  // `plumb baseline update` and `plumb merge` read report.json back: it must always be readable.
  std::istringstream written(json);
  const core::Report reread = core::read_report(written, "report.json");
  check(reread.findings.size() == report.findings.size(), "report.json lost findings on the way back");
  (void)analyze::render_baseline(reread);
}

// What plumb does with a parsed log: one variant outcome, analysis, every report.
inline void analyze_and_render(const std::string& tool, core::ParseResult result) {
  (void)parse::parse_result_to_json(result).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  core::VariantOutcome outcome;
  outcome.result.name = "fuzz-" + tool;
  outcome.result.tool = core::tool_of_log(tool);
  core::ParsedLog log;
  log.path = "fuzz.log";
  log.format = core::require_log_format(tool);
  log.reporter = core::spec_of(*log.format).reporter;
  log.result = std::move(result);
  outcome.logs.push_back(std::move(log));
  std::vector<core::VariantOutcome> outcomes;
  outcomes.push_back(std::move(outcome));
  const core::Report report = analyze::analyze(std::move(outcomes), analyze::AnalysisInputs{});
  check(report.verdict == core::Verdict::Pass || report.verdict == core::Verdict::Fail ||
            report.verdict == core::Verdict::Error,
        "verdict is not pass, fail or error");
  render_everything(report);
}

// A parser entry: stream in, result through analysis and rendering.
template <typename Parser>
void parse_then_report(Bytes bytes, const std::string& tool, Parser parser) {
  std::istringstream in(as_text(bytes));
  core::ParseResult result;
  try {
    result = parser(in);
  } catch (const core::UsageError&) {
    return;
  } catch (const core::InfrastructureError&) {
    return;
  }
  analyze_and_render(tool, std::move(result));
}

// memcheck XML: the whole-log parser, and the streaming one agreeing with it on the count.
inline void fuzz_memcheck_xml(Bytes bytes) {
  std::istringstream in(as_text(bytes));
  // Streamed records, with repeats of one record counted once (parse_memcheck merges them).
  std::size_t streamed = 0;
  std::set<std::string> repeated;
  const core::ParseResult streaming = parse::stream_memcheck_xml(in, [&](core::Finding&& finding) {
    if (!parse::merges_repeats(finding.kind) || repeated.insert(parse::record_key(finding)).second) {
      ++streamed;
    }
  });
  check(streaming.findings.empty(), "stream_memcheck_xml returned findings instead of streaming them");
  parse_then_report(bytes, "memcheck", [&streamed](std::istream& input) {
    core::ParseResult whole = parse::parse_memcheck(input);
    check(whole.findings.size() == streamed, "parse_memcheck and stream_memcheck_xml disagree");
    return whole;
  });
}

// massif.out.
inline void fuzz_massif(Bytes bytes) {
  parse_then_report(bytes, "massif", parse::parse_massif);
}
// ASan text.
inline void fuzz_asan(Bytes bytes) {
  parse_then_report(bytes, "asan", parse::parse_asan);
}
// LSan text.
inline void fuzz_lsan(Bytes bytes) {
  parse_then_report(bytes, "lsan", parse::parse_lsan);
}
// UBSan text.
inline void fuzz_ubsan(Bytes bytes) {
  parse_then_report(bytes, "ubsan", parse::parse_ubsan);
}
// TSan text.
inline void fuzz_tsan(Bytes bytes) {
  parse_then_report(bytes, "tsan", parse::parse_tsan);
}
// The harness's JSON-lines samples.
inline void fuzz_samples(Bytes bytes) {
  parse_then_report(bytes, "samples", parse::parse_samples);
}

// plumb.toml: parsed, then every variant planned in every tier it names.
inline void fuzz_config(Bytes bytes) {
  try {
    const core::Config config = core::parse_config(as_text(bytes), "plumb.toml");
    for (const core::VariantConfig& variant : config.variants) {
      check(core::find_variant(config, variant.name) != nullptr, "a parsed variant is not found by name");
      for (const auto& [tier, settings] : variant.tiers) {
        (void)settings;
        try {
          (void)run::plan_variant(config, variant, tier, "/nonexistent/report");
        } catch (const core::UsageError&) {
        }
      }
    }
  } catch (const core::UsageError&) {
  }
}

// A few findings with ordinary frames for suppressions and baselines to match against.
inline std::vector<core::Finding> sample_findings() {
  std::vector<core::Finding> findings;
  const core::FindingKind kinds[] = {core::FindingKind::LeakDefinite, core::FindingKind::Race,
                                     core::FindingKind::MemoryError, core::FindingKind::Ub};
  int n = 0;
  for (const core::FindingKind kind : kinds) {
    core::Finding finding;
    finding.kind = kind;
    finding.detail = "fuzz";
    finding.tools = {core::Reporter::Memcheck};
    finding.frames = {{"make_buffer(unsigned long)", "src/buffer.cpp", 12 + n, ""},
                      {"spectre::Scanner::scan_one", "scanner/src/scan.cpp", 40, ""},
                      {"main", "harness/src/main.cpp", 7, ""}};
    findings.push_back(std::move(finding));
    ++n;
  }
  return findings;
}

// One variant outcome carrying sample_findings().
inline std::vector<core::VariantOutcome> sample_outcomes() {
  core::VariantOutcome outcome;
  outcome.result.name = "fuzz";
  outcome.result.tool = core::Tool::Memcheck;
  core::ParsedLog log;
  log.path = "fuzz.xml";
  log.format = core::LogFormat::Memcheck;
  log.reporter = core::Reporter::Memcheck;
  log.result.recognised = true;
  log.result.findings = sample_findings();
  outcome.logs.push_back(std::move(log));
  return {std::move(outcome)};
}

// The suppressions reader, then matching, expiry, every native export and a whole analysis.
inline void fuzz_suppressions(Bytes bytes) {
  std::istringstream in(as_text(bytes));
  analyze::SuppressionSet set;
  try {
    set = analyze::parse_suppressions(in, "plumb.toml");
  } catch (const core::UsageError&) {
    return;
  }
  const std::vector<core::Finding> findings = sample_findings();
  for (const analyze::Suppression& entry : set.entries) {
    for (const core::Finding& finding : findings) {
      (void)analyze::matches(entry, finding);
    }
    (void)analyze::is_expired(entry, "2030-06-15");
  }
  for (const std::string_view tool : {"valgrind", "lsan", "tsan", "ubsan"}) {
    (void)analyze::export_suppressions(set, tool);
  }
  analyze::AnalysisInputs inputs;
  inputs.suppressions = set;
  inputs.today = "2030-06-15";
  render_everything(analyze::analyze(sample_outcomes(), inputs));
}

// The suppression glob matcher on a hostile pattern and text, split at the first NUL byte.
inline void fuzz_suppression_glob(Bytes bytes) {
  const std::string text = as_text(bytes);
  const std::size_t split = text.find('\0');
  const std::string_view pattern = std::string_view(text).substr(0, split);
  const std::string_view subject =
      split == std::string::npos ? std::string_view("main") : std::string_view(text).substr(split + 1);
  const bool matched = analyze::glob_match(pattern, subject);
  if (pattern.find_first_of("*?") == std::string_view::npos) {
    check(matched == (pattern == subject), "a glob without wildcards must match exactly itself");
  }
  check(analyze::glob_match("*", subject), "'*' must match everything");
}

// The baseline reader, then an analysis with that baseline.
inline void fuzz_baseline(Bytes bytes) {
  std::istringstream in(as_text(bytes));
  analyze::AnalysisInputs inputs;
  try {
    inputs.baseline = analyze::parse_baseline(in, "baseline.json");
  } catch (const core::UsageError&) {
    return;
  }
  render_everything(analyze::analyze(sample_outcomes(), inputs));
}

// report.json as plumb merge reads it, merged and rendered again.
inline void fuzz_report_json(Bytes bytes) {
  std::istringstream in(as_text(bytes));
  std::vector<core::Report> reports;
  try {
    reports.push_back(core::read_report(in, "report.json"));
  } catch (const core::UsageError&) {
    return;
  }
  try {
    render_everything(analyze::merge_reports(std::move(reports), analyze::default_gate_policy()));
  } catch (const core::UsageError&) {
  }
}

// The recipient whose keys every scanner target uses: fixed, so matches are reproducible.
inline const spectre::RecipientKeys& fixed_keys() {
  static const spectre::RecipientKeys keys = [] {
    std::array<std::uint8_t, spectre::RecipientKeys::kSerializedBytes> serialized{'S', 'P', 'K', '1'};
    for (std::size_t i = 0; i < spectre::kKeyBytes; ++i) {
      serialized[4 + i] = static_cast<std::uint8_t>(0x40 + i);                    // view secret
      serialized[4 + spectre::kKeyBytes + i] = static_cast<std::uint8_t>(i + 7);  // spend scalar
    }
    serialized.back() = 0x03;  // keeps the spend scalar below the group order L
    std::optional<spectre::RecipientKeys> loaded = spectre::RecipientKeys::load(serialized);
    check(loaded.has_value(), "the fixed fuzz keys do not load");
    return std::move(*loaded);
  }();
  return keys;
}

// Every scanned record lands in exactly one counter.
inline void check_stats(const spectre::ScanStats& stats) {
  check(stats.scanned == stats.tag_rejected + stats.tag_false_positive + stats.matched + stats.bad_input(),
        "ScanStats counters do not add up to scanned");
}

// One wire form: decode, re-encode round trip, batch scans of the decoded and the encoded form.
inline void fuzz_announcement(Bytes bytes) {
  const spectre::RecipientKeys& keys = fixed_keys();
  spectre::Announcement announcement;
  const spectre::DecodeError error = spectre::decode(bytes, announcement);
  check(spectre::to_string(error) != nullptr, "a decode error has no name");
  if (error == spectre::DecodeError::ok) {
    const std::vector<std::uint8_t> again = spectre::encode(announcement);
    check(again.size() == bytes.size() && std::equal(again.begin(), again.end(), bytes.begin()),
          "decode then encode does not give the input back");
    const spectre::ScanResult batch = spectre::scan_announcements(keys, std::span(&announcement, 1));
    check_stats(batch.stats);
    check(batch.stats.scanned == 1, "one announcement, one scan");
  }
  const std::size_t half = bytes.size() / 2;
  const std::vector<std::vector<std::uint8_t>> encoded{
      {bytes.begin(), bytes.end()},
      {bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(half)},
      {bytes.begin() + static_cast<std::ptrdiff_t>(half), bytes.end()}};
  const spectre::ScanResult result = spectre::scan_encoded(keys, encoded);
  check_stats(result.stats);
  check(result.stats.scanned == encoded.size(), "every encoded record is counted");
  for (const spectre::Match& match : result.matches) {
    check(match.index < encoded.size() && match.stealth_secret.size() == spectre::kKeyBytes, "a bad match");
  }
}

// An announcement file's bytes, streamed through FileSource in small chunks (the file is a memfd).
inline void fuzz_announcement_stream(Bytes bytes) {
  const int fd = memfd_create("fuzz-announcements", MFD_CLOEXEC);
  check(fd >= 0, "memfd_create failed");
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    check(n > 0, "writing the memfd failed");
    written += static_cast<std::size_t>(n);
  }
  {
    spectre::FileSource source("/proc/self/fd/" + std::to_string(fd));
    std::size_t matches = 0;
    const spectre::ScanStats stats = spectre::scan_stream(
        fixed_keys(), source, [&matches](spectre::Match&&, const spectre::Announcement&) { ++matches; }, 3);
    check_stats(stats);
    check(matches == stats.matched, "the sink saw a different number of matches than counted");
    check(stats.scanned <= bytes.size() / 4 + 1, "more records scanned than the bytes could hold");
  }
  ::close(fd);
}

// One fuzz target: its name (the corpus and regressions folder, the executable fuzz_<name>).
struct Target {
  std::string_view name;
  void (*entry)(Bytes);
};

// Every target, one per parser and reader.
inline constexpr Target kTargets[] = {
    {"memcheck_xml", fuzz_memcheck_xml},
    {"massif", fuzz_massif},
    {"asan", fuzz_asan},
    {"lsan", fuzz_lsan},
    {"ubsan", fuzz_ubsan},
    {"tsan", fuzz_tsan},
    {"samples", fuzz_samples},
    {"config", fuzz_config},
    {"suppressions", fuzz_suppressions},
    {"suppression_glob", fuzz_suppression_glob},
    {"baseline", fuzz_baseline},
    {"report_json", fuzz_report_json},
    {"announcement", fuzz_announcement},
    {"announcement_stream", fuzz_announcement_stream},
};

// The target called `name`, or nullptr.
inline const Target* find_target(std::string_view name) {
  for (const Target& target : kTargets) {
    if (target.name == name) {
      return &target;
    }
  }
  return nullptr;
}

}  // namespace plumb::fuzz

#include "plumb/parse/sanitizer_text.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <istream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "plumb/parse/record_key.hpp"
#include "sanitizer_frames.hpp"
#include "text.hpp"

namespace plumb::parse {
namespace {

using core::Finding;
using core::FindingKind;
using core::Frame;
using detail::after;
using detail::trim;

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// The check name UBSan would put in its SUMMARY line, derived from the message, because UBSan
// prints no SUMMARY unless it halts.
std::string ubsan_check(std::string_view message) {
  struct Rule {
    std::string_view needle;
    std::string_view check;
  };
  static constexpr std::array<Rule, 22> kRules{{
      {"signed integer overflow", "signed-integer-overflow"},
      {"negation of", "signed-integer-overflow"},
      {"unsigned integer overflow", "unsigned-integer-overflow"},
      {"shift exponent", "shift-exponent"},
      {"left shift of", "shift-base"},
      {"division by zero", "integer-divide-by-zero"},
      {"misaligned address", "alignment"},
      {"null pointer passed as argument", "nonnull-attribute"},
      {"null pointer returned", "returns-nonnull-attribute"},
      {"null pointer", "null"},
      {"which is not a valid value for type 'bool'", "bool"},
      {"which is not a valid value for type", "enum"},
      {"out of bounds for type", "bounds"},
      {"is outside the range of representable values", "float-cast-overflow"},
      {"variable length array bound", "vla-bound"},
      {"execution reached an unreachable program point", "unreachable"},
      {"execution reached the end of a value-returning function", "return"},
      {"pointer index expression", "pointer-overflow"},
      {"applying non-zero offset", "pointer-overflow"},
      {"applying zero offset to null pointer", "pointer-overflow"},
      {"through pointer to incorrect function type", "function"},
      {"implicit conversion", "implicit-conversion"},
  }};
  for (const auto& rule : kRules) {
    if (message.find(rule.needle) != std::string_view::npos) {
      return std::string(rule.check);
    }
  }
  return "runtime-error";
}

// The taxonomy kind of a TSan report type.
FindingKind tsan_kind(std::string_view type) {
  if (starts_with(type, "data race")) {
    return FindingKind::Race;
  }
  if (starts_with(type, "thread leak")) {
    return FindingKind::ThreadLeak;
  }
  // lock-order-inversion, and mutex misuse (double lock, unlock of an unlocked mutex, destroy of
  // a locked mutex): all lock-discipline defects that can hang the program.
  if (starts_with(type, "lock-order-inversion") || type.find("mutex") != std::string_view::npos) {
    return FindingKind::Deadlock;
  }
  return FindingKind::MemoryError;
}

bool is_signal_type(std::string_view type) {
  for (const std::string_view signal : {"SEGV", "BUS", "FPE", "ILL", "ABRT", "TRAP"}) {
    if (type == signal) {
      return true;
    }
  }
  return false;
}

// Whether a SUMMARY's first word `type` names the check of a report by `reporter`: ASan's and
// MSan's do, UBSan's unless it is the generic "undefined-behavior"; TSan's and LSan's name the
// report's kind, which the header already gave.
bool names_its_check(core::Reporter reporter, std::string_view type) {
  switch (reporter) {
    case core::Reporter::Asan:
    case core::Reporter::Msan:
      return true;
    case core::Reporter::Ubsan:
      return type != "undefined-behavior";
    case core::Reporter::Memcheck:
    case core::Reporter::Helgrind:
    case core::Reporter::Drd:
    case core::Reporter::Massif:
    case core::Reporter::Lsan:
    case core::Reporter::Tsan:
    case core::Reporter::Native:
    case core::Reporter::Samples:
    case core::Reporter::Doctor:
    case core::Reporter::Heaptrack:
      break;
  }
  return false;
}

// The reporter a "XSanitizer" word names.
core::Reporter reporter_of(std::string_view sanitizer) {
  if (sanitizer == "AddressSanitizer" || sanitizer == "HWAddressSanitizer") {
    return core::Reporter::Asan;
  }
  if (sanitizer == "LeakSanitizer") {
    return core::Reporter::Lsan;
  }
  if (sanitizer == "ThreadSanitizer") {
    return core::Reporter::Tsan;
  }
  if (sanitizer == "MemorySanitizer") {
    return core::Reporter::Msan;
  }
  return core::Reporter::Ubsan;
}

// "AddressSanitizer: heap-use-after-free ..." split at the first ": " after the sanitizer name.
struct Header {
  std::string_view sanitizer;
  std::string_view text;
};

std::optional<Header> header_after(std::string_view line, std::string_view prefix) {
  if (!starts_with(line, prefix)) {
    return std::nullopt;
  }
  const auto rest = line.substr(prefix.size());
  const auto colon = rest.find(": ");
  if (colon == std::string_view::npos) {
    return std::nullopt;
  }
  const auto sanitizer = rest.substr(0, colon);
  if (sanitizer.size() < 9 || sanitizer.substr(sanitizer.size() - 9) != "Sanitizer") {
    return std::nullopt;
  }
  return Header{sanitizer, trim(rest.substr(colon + 2))};
}

std::string_view first_word(std::string_view text) {
  const auto space = text.find(' ');
  return space == std::string_view::npos ? text : text.substr(0, space);
}

bool is_check_name(std::string_view word) {
  if (word.empty()) {
    return false;
  }
  for (const char c : word) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) {
      return false;
    }
  }
  return true;
}

class SanitizerLogReader {
 public:
  void line(std::string_view raw, long number) {
    const std::string_view prefixed = trim(raw);
    const std::string_view text = trim(detail::strip_pid_prefix(prefixed));
    if (in_memory_map_) {
      // The mappings between "Process memory map follows:" and its end: the runtime's, not a report.
      in_memory_map_ = text != "End of process memory map.";
      return;
    }
    if (auto frame = detail::parse_frame_line(text)) {
      add_frame(std::move(*frame));
      return;
    }
    in_stack_ = false;
    if (!text.empty()) {
      last_line_.assign(
          text);  // What the next stack is, if one follows ("Previous write of ... by thread T1:").
    }
    if (text.empty()) {
      return;
    }
    // Lines the runtime writes at exit whether or not it found anything (plumb asks for them:
    // ASan's exit stats, TSan's memory map): proof that the instrumented program ran, and the end
    // of any report before them. TSan's verbosity=1 banner is one too (older plumb asked for it).
    if (text == "AddressSanitizer exit stats:" || text == "Process memory map follows:" ||
        starts_with(text, "***** Running under ThreadSanitizer")) {
      result_.recognised = true;
      close_report();
      in_memory_map_ = text == "Process memory map follows:";
      return;
    }
    if (starts_with(text, "ThreadSanitizer: forked new process")) {
      // A forked child's whole log when it exec'd a program TSan does not follow: it ran clean.
      result_.recognised = true;
      return;
    }
    if (text.find("Sanitizer:DEADLYSIGNAL") != std::string_view::npos) {
      result_.recognised = true;
      pending_deadly_ = true;
      deadly_tool_ = reporter_of(text.substr(0, text.find(":DEADLYSIGNAL")));
      return;
    }
    if (auto header = header_after(text, "ERROR: ")) {
      start_error(*header, detail::pid_prefix(prefixed));
      return;
    }
    if (auto header = header_after(text, "WARNING: ")) {
      start_warning(*header);
      return;
    }
    if (leak_report_ && (starts_with(text, "Direct leak of ") || starts_with(text, "Indirect leak of "))) {
      start_leak(text);
      return;
    }
    if (const auto at = text.find(": runtime error: "); at != std::string_view::npos) {
      start_ub(text.substr(0, at), text.substr(at + 17));
      return;
    }
    if (auto summary = header_after(text, "SUMMARY: ")) {
      on_summary(*summary, number);
      return;
    }
    if (const auto reported = after(text, "ThreadSanitizer: reported ")) {
      result_.recognised = true;
      tsan_reported_ = detail::parse_count(first_word(*reported));
      return;
    }
    if (starts_with(text, "==================")) {
      close_report();
      return;
    }
    if (text == "ABORTING") {
      close_report();
      return;
    }
    if (!current_) {
      return;
    }
    if (const auto more = after(text, "And ")) {
      if (text.find("more similar thread leaks") != std::string_view::npos) {
        current_->blocks += detail::parse_count(first_word(*more)).value_or(0);
        return;
      }
    }
    if (current_->address.empty() &&
        (starts_with(text, "Location is ") || text.find(" is located ") != std::string_view::npos)) {
      // What the faulting address is ("0x.. is located 0 bytes to the right of 40-byte region",
      // "Location is global 'counter' of size 4 at 0x.."): the error's class and object.
      std::string_view address = text;
      if (!address.empty() && address.back() == ':') {
        address.remove_suffix(1);
      }
      current_->address.assign(address);
    }
    if (want_detail_line_) {
      // The first line under a report header says what happened ("READ of size 4 at ...").
      std::string_view what = text;
      if (!what.empty() && what.back() == ':') {
        what.remove_suffix(1);
      }
      current_->message += ": ";
      current_->message += what;
      want_detail_line_ = false;
    }
  }

  core::ParseResult finish(long last_line) {
    if (current_ && summary_required_) {
      incomplete("line " + std::to_string(last_line) + ": the log ends inside a report (no SUMMARY line)");
      summary_required_ = false;
    }
    close_finding();
    if (leak_report_ && !leak_summary_seen_) {
      incomplete("a leak report has no SUMMARY line: the process ended before LeakSanitizer finished");
    }
    if (pending_deadly_) {
      // A deadly signal whose report never came: the process died before writing it.
      Finding crash;
      crash.kind = FindingKind::Crash;
      crash.detail = "DEADLYSIGNAL";
      crash.tools.push_back(deadly_tool_);
      crash.message = "deadly signal; the report was cut off";
      result_.findings.push_back(std::move(crash));
      incomplete("a DEADLYSIGNAL report was cut off before its stack");
    }
    if (tsan_reported_ && *tsan_reported_ != tsan_warnings_) {
      incomplete("ThreadSanitizer reported " + std::to_string(*tsan_reported_) +
                 " warnings but the log holds " + std::to_string(tsan_warnings_));
    }
    return std::move(result_);
  }

  // The log disagrees with the tool's own account of it: what it holds counts, but proves nothing.
  void incomplete(const std::string& reason) {
    result_.complete = false;
    result_.warnings.push_back(reason);
    if (result_.incomplete_reason.empty()) {
      result_.incomplete_reason = reason;
    } else if (result_.incomplete_reason.find(reason) == std::string::npos) {
      result_.incomplete_reason += "; " + reason;
    }
  }

 private:
  void add_frame(detail::IndexedFrame frame) {
    if (!current_) {
      return;
    }
    if (!in_stack_ || frame.index == 0 || stacks_.empty()) {
      stacks_.emplace_back();
      std::string label = last_line_;
      if (!label.empty() && label.back() == ':') {
        label.pop_back();
      }
      labels_.push_back(std::move(label));
    }
    stacks_.back().push_back(std::move(frame.frame));
    in_stack_ = true;
    want_detail_line_ = false;
  }

  Finding& open(FindingKind kind, std::string detail_text, core::Reporter tool, std::string message) {
    close_finding();
    result_.recognised = true;
    current_.emplace();
    current_->kind = kind;
    current_->detail = std::move(detail_text);
    current_->tools.push_back(tool);
    current_->message = std::move(message);
    stacks_.clear();
    labels_.clear();
    fallback_frame_.reset();
    in_stack_ = false;
    want_detail_line_ = false;
    return *current_;
  }

  void start_error(const Header& header, std::string_view pid) {
    close_report();
    if (header.sanitizer == "LeakSanitizer") {
      result_.recognised = true;
      start_leak_report(pid);
      leak_report_ = true;
      leak_summary_seen_ = false;
      leak_bytes_ = 0;
      leak_blocks_ = 0;
      pending_deadly_ = false;
      return;
    }
    const std::string_view type = first_word(header.text);
    const bool crash = pending_deadly_ || is_signal_type(type);
    pending_deadly_ = false;
    open(crash ? FindingKind::Crash : FindingKind::MemoryError, std::string(type), reporter_of(header.sanitizer),
         std::string(header.text));
    summary_required_ = true;
    want_detail_line_ = true;
  }

  // A process that ran recoverable leak checks (__lsan_do_recoverable_leak_check, as the harness
  // does at every sample) prints one leak report per check, then the final one at exit: each
  // report replaces the previous one of the same process (a leak seen mid-run and freed by exit is
  // no leak), and a log cut off keeps the last report it holds. Processes are told apart by their
  // ==PID== prefix, so several processes appending to one log each keep their own last report.
  void start_leak_report(std::string_view pid) {
    auto previous = leak_reports_.begin();
    while (previous != leak_reports_.end() && previous->pid != pid) {
      ++previous;
    }
    if (previous == leak_reports_.end()) {
      leak_reports_.push_back({std::string(pid), 0, 0});
      previous = std::prev(leak_reports_.end());
    } else {
      const auto begin = static_cast<std::ptrdiff_t>(previous->begin);
      const auto removed = previous->end - previous->begin;
      result_.findings.erase(result_.findings.begin() + begin,
                             result_.findings.begin() + static_cast<std::ptrdiff_t>(previous->end));
      for (auto entry = merged_.begin(); entry != merged_.end();) {
        if (entry->second >= previous->end) {
          entry->second -= removed;  // the findings after the erased leak report moved down
        } else if (entry->second >= previous->begin) {
          entry = merged_.erase(entry);  // erased with it
          continue;
        }
        ++entry;
      }
      for (auto& report : leak_reports_) {
        if (report.begin >= previous->end && &report != &*previous) {
          report.begin -= removed;
          report.end -= removed;
        }
      }
    }
    previous->begin = previous->end = result_.findings.size();
    open_leak_report_ = static_cast<std::size_t>(previous - leak_reports_.begin());
  }

  void start_warning(const Header& header) {
    if (header.sanitizer != "ThreadSanitizer" && header.sanitizer != "MemorySanitizer") {
      return;
    }
    close_report();
    std::string_view type = header.text;
    if (const auto pid = type.find(" (pid="); pid != std::string_view::npos) {
      type = type.substr(0, pid);
    }
    const bool tsan = header.sanitizer == "ThreadSanitizer";
    const FindingKind kind = tsan ? tsan_kind(type) : FindingKind::MemoryError;
    if (tsan) {
      ++tsan_warnings_;
    }
    Finding& finding = open(kind, std::string(type), reporter_of(header.sanitizer), std::string(type));
    if (kind == FindingKind::ThreadLeak) {
      finding.blocks = 1;
    }
    summary_required_ = true;
    want_detail_line_ = true;
  }

  void start_leak(std::string_view text) {
    const bool direct = starts_with(text, "Direct");
    std::string_view message = text;
    if (!message.empty() && message.back() == ':') {
      message.remove_suffix(1);
    }
    Finding& finding = open(direct ? FindingKind::LeakDefinite : FindingKind::LeakIndirect,
                            direct ? "Direct leak" : "Indirect leak", core::Reporter::Lsan, std::string(message));
    // "Direct leak of 16 byte(s) in 1 object(s) allocated from:"
    if (const auto of = after(text, " leak of ")) {
      finding.bytes = detail::parse_count(first_word(*of)).value_or(0);
      if (const auto in = after(*of, " in ")) {
        finding.blocks = detail::parse_count(first_word(*in)).value_or(0);
      }
    }
    leak_bytes_ += finding.bytes;
    leak_blocks_ += finding.blocks;
    summary_required_ = false;
  }

  void start_ub(std::string_view location, std::string_view message) {
    close_report();
    open(FindingKind::Ub, ubsan_check(message), core::Reporter::Ubsan, std::string(message));
    summary_required_ = false;
    // "file:line:col" (or "<unknown>"): the only frame a stackless report has.
    Frame frame;
    std::string_view file = location;
    for (int part = 0; part < 2; ++part) {
      const auto colon = file.rfind(':');
      if (colon == std::string_view::npos) {
        break;
      }
      const auto number = detail::parse_count(file.substr(colon + 1));
      if (!number) {
        break;
      }
      frame.line = static_cast<int>(*number);
      file = file.substr(0, colon);
    }
    if (!file.empty() && file != "<unknown>") {
      frame.file = std::string(file);
      fallback_frame_ = std::move(frame);
    }
  }

  void on_summary(const Header& summary, long number) {
    result_.recognised = true;
    if (const auto at = summary.text.find(" byte(s) leaked in "); at != std::string_view::npos) {
      const auto total = detail::parse_count(first_word(summary.text)).value_or(0);
      const auto allocations =
          detail::parse_count(
              first_word(summary.text.substr(at + std::string_view(" byte(s) leaked in ").size())))
              .value_or(0);
      close_finding();
      const std::uint64_t bytes = leak_report_ ? leak_bytes_ : 0;
      const std::uint64_t blocks = leak_report_ ? leak_blocks_ : 0;
      if (total != bytes || allocations != blocks) {
        incomplete("line " + std::to_string(number) + ": the SUMMARY counts " + std::to_string(total) +
                   " bytes in " + std::to_string(allocations) + " allocations, the leak records " +
                   std::to_string(bytes) + " bytes in " + std::to_string(blocks));
      }
      leak_summary_seen_ = true;
      return;
    }
    if (current_) {
      const std::string_view type = first_word(summary.text);
      const bool tool_names_type = names_its_check(current_->tools.front(), type);
      if (tool_names_type && current_->kind != FindingKind::Crash && is_check_name(type)) {
        current_->detail = std::string(type);
      }
      summary_required_ = false;
      in_stack_ = false;
    } else if (summary.sanitizer != "UndefinedBehaviorSanitizer") {
      // A SUMMARY names the report it ends; with no report before it, the report is missing.
      incomplete("line " + std::to_string(number) + ": a SUMMARY (" + std::string(first_word(summary.text)) +
                 ") with no report before it");
    }
  }

  void close_finding() {
    if (!current_) {
      return;
    }
    Finding finding = std::move(*current_);
    current_.reset();
    if (!stacks_.empty()) {
      finding.frames = std::move(stacks_.front());
      for (std::size_t i = 1; i < stacks_.size(); ++i) {
        finding.related_stacks.push_back(std::move(stacks_[i]));
      }
      finding.stack_labels = std::move(labels_);
    } else if (fallback_frame_) {
      finding.frames.push_back(std::move(*fallback_frame_));
    }
    stacks_.clear();
    labels_.clear();
    fallback_frame_.reset();
    if (summary_required_) {
      result_.warnings.push_back("a " + finding.detail + " report has no SUMMARY line");
      summary_required_ = false;
    }
    const bool leak = finding.kind == FindingKind::LeakDefinite || finding.kind == FindingKind::LeakIndirect;
    // A report that repeats an earlier one (same kind and stacks) is one more occurrence of it:
    // memory follows the distinct reports, not the log. Leak reports follow the leak rounds.
    if (merges_repeats(finding.kind)) {
      const auto [it, inserted] = merged_.try_emplace(record_key(finding), result_.findings.size());
      if (!inserted) {
        ++result_.findings[it->second].occurrences;
        return;
      }
    }
    result_.findings.push_back(std::move(finding));
    if (leak_report_ && leak && open_leak_report_) {
      leak_reports_[*open_leak_report_].end = result_.findings.size();
    }
  }

  // Ends whatever report is open, including a leak report whose findings are all closed.
  void close_report() {
    close_finding();
    if (leak_report_ && !leak_summary_seen_ && leak_bytes_ > 0) {
      result_.warnings.emplace_back("a leak report has no SUMMARY line");
    }
    leak_report_ = false;
    open_leak_report_.reset();
  }

  core::ParseResult result_;
  std::optional<Finding> current_;
  std::vector<std::vector<Frame>> stacks_;
  std::vector<std::string> labels_;  // Per stack: the line that said what it is.
  std::string last_line_;            // The last line that was not a frame.
  std::optional<Frame> fallback_frame_;
  bool in_stack_ = false;
  bool in_memory_map_ = false;  // Between "Process memory map follows:" and its end.
  bool want_detail_line_ = false;
  bool summary_required_ = false;
  bool pending_deadly_ = false;
  core::Reporter deadly_tool_ = core::Reporter::Asan;
  bool leak_report_ = false;
  bool leak_summary_seen_ = false;
  std::uint64_t leak_bytes_ = 0;
  std::uint64_t leak_blocks_ = 0;
  // Where the findings of each process's latest leak report are in result_.findings.
  struct LeakReportSpan {
    std::string pid;
    std::size_t begin = 0;
    std::size_t end = 0;
  };
  std::vector<LeakReportSpan> leak_reports_;
  std::optional<std::size_t> open_leak_report_;
  std::optional<std::uint64_t> tsan_reported_;
  std::uint64_t tsan_warnings_ = 0;
  std::unordered_map<std::string, std::size_t> merged_;  // record key → its finding (non-leak)
};

core::ParseResult read_sanitizer_log(std::istream& in) {
  SanitizerLogReader reader;
  std::string line;
  long number = 0;
  while (std::getline(in, line)) {
    ++number;
    reader.line(line, number);
  }
  return reader.finish(number);
}

}  // namespace

core::ParseResult parse_asan(std::istream& in) {
  return read_sanitizer_log(in);
}
core::ParseResult parse_lsan(std::istream& in) {
  return read_sanitizer_log(in);
}
core::ParseResult parse_ubsan(std::istream& in) {
  return read_sanitizer_log(in);
}
core::ParseResult parse_tsan(std::istream& in) {
  return read_sanitizer_log(in);
}

}  // namespace plumb::parse

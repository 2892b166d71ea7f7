#include "plumb/parse/memcheck_xml.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "leak_round.hpp"
#include "memcheck_kinds.hpp"
#include "memcheck_tags.hpp"
#include "plumb/parse/record_key.hpp"
#include "text.hpp"
#include "xml_tokenizer.hpp"

namespace plumb::parse {
namespace {

using core::Finding;
using core::FindingKind;
using core::Frame;
using detail::Tag;

// A placeholder ("...", as Valgrind's test filters write) or an empty value means "unknown".
bool known(std::string_view text) {
  return !text.empty() && text != "...";
}

// The fields of one <error> (or <fatal_signal>) that are not stacks. Strings are reused
// from record to record so that a long log does not allocate per element.
struct RecordFields {
  std::string kind;
  std::string what;
  std::string xwhat_text;
  std::string leaked_bytes;
  std::string leaked_blocks;
  std::string fd;
  std::string path;
  std::string signo;
  std::string signame;
  std::string event;
  std::string siaddr;
  std::string unique;   // The record's <unique>, which <errorcounts> counts it by.
  std::string address;  // The first <auxwhat> describing the address ("Address 0x.. is ..", "Location ..").

  void clear() {
    for (std::string* field : {&kind, &what, &xwhat_text, &leaked_bytes, &leaked_blocks, &fd, &path, &signo,
                               &signame, &event, &siaddr, &unique, &address}) {
      field->clear();
    }
  }
};

// Reads the element events of one memcheck XML document. Stacks are written straight into one
// reused Finding (frames first, then related_stacks), which the sink receives when its record
// closes, or, for a loss record, which joins the current leak-check round; memory therefore
// depends on the largest record and the largest round, not on the size of the log.
class MemcheckReader {
 public:
  explicit MemcheckReader(const FindingSink& sink) : sink_(sink) { stack_.reserve(16); }

  // An element opens; returns whether its text is wanted.
  bool start(std::string_view name) {
    const Tag tag = detail::tag_of(name);
    const Tag parent = stack_.empty() ? Tag::Other : stack_.back();
    stack_.push_back(tag);
    switch (tag) {
      case Tag::Root:
        result_.recognised = true;
        break;
      case Tag::Error:
      case Tag::FatalSignal:
        begin_record();
        break;
      case Tag::Stack:
        begin_stack(parent);
        break;
      case Tag::Frame:
        begin_frame();
        break;
      case Tag::Pair:
        pair_name_.clear();
        pair_count_.clear();
        pair_unique_.clear();
        break;
      default:
        break;
    }
    return detail::captures_text(tag);
  }

  // The innermost open element closes; `text` is its text when start() asked for it.
  void end(std::string_view text) {
    if (stack_.empty()) {
      return;
    }
    const Tag tag = stack_.back();
    stack_.pop_back();
    const Tag parent = stack_.empty() ? Tag::Other : stack_.back();
    if (parent == Tag::Root) {
      // Anything between two loss records but another loss record separates two leak checks.
      leak_record_closed_ = false;
    }
    switch (tag) {
      case Tag::Root:
        root_closed_ = true;
        break;
      case Tag::ProtocolVersion:
        protocol_version_.assign(detail::trim(text));
        break;
      case Tag::ProtocolTool:
        protocol_tool_.assign(detail::trim(text));
        break;
      case Tag::State:
        finished_ = finished_ || detail::trim(text) == "FINISHED";
        state_seen_ = true;
        break;
      case Tag::Pid:
        if (parent == Tag::Root) {
          result_.pid.assign(detail::trim(text));
        }
        break;
      case Tag::Ppid:
        if (parent == Tag::Root) {
          result_.ppid.assign(detail::trim(text));
        }
        break;
      case Tag::Kind:
        if (parent == Tag::Error) {
          fields_.kind.assign(detail::trim(text));
        }
        break;
      case Tag::What:
        if (parent == Tag::Error) {
          fields_.what.assign(detail::trim(text));
        } else if (parent == Tag::Origin) {
          aux_what_.assign(detail::trim(text));  // "Uninitialised value was created by a heap allocation".
        }
        break;
      case Tag::AuxWhat:
        if (parent == Tag::Error) {
          aux_what_.assign(detail::trim(text));  // Says what the next stack is.
          if (fields_.address.empty() && (aux_what_.rfind("Address ", 0) == 0 || aux_what_.rfind("Location ", 0) == 0)) {
            fields_.address = aux_what_;
          }
        }
        break;
      case Tag::Text:
        if (parent == Tag::Xwhat) {
          fields_.xwhat_text.assign(detail::trim(text));
        }
        break;
      case Tag::LeakedBytes:
        fields_.leaked_bytes.assign(text);
        break;
      case Tag::LeakedBlocks:
        fields_.leaked_blocks.assign(text);
        break;
      case Tag::Fd:
        fields_.fd.assign(detail::trim(text));
        break;
      case Tag::Path:
        fields_.path.assign(detail::trim(text));
        break;
      case Tag::Signo:
        fields_.signo.assign(detail::trim(text));
        break;
      case Tag::Signame:
        fields_.signame.assign(detail::trim(text));
        break;
      case Tag::Event:
        fields_.event.assign(detail::trim(text));
        break;
      case Tag::Siaddr:
        fields_.siaddr.assign(detail::trim(text));
        break;
      case Tag::Fn:
        if (frame_ != nullptr) {
          frame_->function.assign(text);
        }
        break;
      case Tag::Obj:
        if (frame_ != nullptr) {
          frame_->object.assign(text);
        }
        break;
      case Tag::Dir:
        dir_.assign(text);
        break;
      case Tag::File:
        if (frame_ != nullptr) {
          frame_->file.assign(text);
        }
        break;
      case Tag::Line:
        if (frame_ != nullptr) {
          frame_->line = static_cast<int>(detail::parse_count(text).value_or(0));
        }
        break;
      case Tag::Ip:
        if (frame_ != nullptr && target_ == &finding_.frames) {
          add_to_stack_key(text);
        }
        break;
      case Tag::Frame:
        end_frame();
        break;
      case Tag::Stack:
        end_stack(parent);
        break;
      case Tag::Error:
        // Valgrind's <errorcounts> lists every error it printed but leaks and fds left open.
        any_record_ = true;
        if (fields_.kind.rfind("Leak_", 0) != 0 && fields_.kind.rfind("Fd", 0) != 0) {
          ++errors_seen_;
        }
        end_error();
        break;
      case Tag::ErrorCounts:
        error_counts_seen_ = true;
        break;
      case Tag::FatalSignal:
        end_fatal_signal();
        break;
      case Tag::Name:
        pair_name_.assign(detail::trim(text));
        break;
      case Tag::Count:
        pair_count_.assign(text);
        break;
      case Tag::Unique:
        if (parent == Tag::Error) {
          fields_.unique.assign(detail::trim(text));
        } else if (parent == Tag::Pair) {
          pair_unique_.assign(detail::trim(text));
        }
        break;
      case Tag::Pair:
        if (parent == Tag::ErrorCounts) {
          ++errors_counted_;
          if (count_errors_) {
            error_counts_[pair_unique_] = detail::parse_count(pair_count_).value_or(1);
          }
        }
        if (parent == Tag::SuppCounts && known(pair_name_)) {
          result_.tool_suppressions.push_back({pair_name_, detail::parse_count(pair_count_).value_or(0)});
        }
        break;
      default:
        break;
    }
    if (parent == Tag::Root && !leak_record_closed_) {
      leak_round_.interrupt();
    }
  }

  // Asks the reader to remember each error's <unique>, so occurrences() can tell how often
  // valgrind saw it; costs memory per error record, so only the collecting parse does it.
  void count_errors() { count_errors_ = true; }

  // Sets each non-leak finding's occurrences to valgrind's own count of it (<errorcounts>);
  // `findings` are the ones the sink received, in order.
  // memcheck's own count of the `n`th error record sent (from <errorcounts>; 1 when it has none).
  std::uint64_t count_of_sent(std::size_t n) const {
    if (n >= sent_uniques_.size()) {
      return 1;
    }
    const auto count = error_counts_.find(sent_uniques_[n]);
    return count == error_counts_.end() ? 1 : std::max<std::uint64_t>(count->second, 1);
  }

  // A log is complete when its root element closed; junk after it only earns a warning.
  core::ParseResult finish(detail::XmlOutcome outcome) {
    if (!outcome.error.empty()) {
      result_.warnings.push_back(std::move(outcome.error));
    }
    if (outcome.text_truncated) {
      result_.warnings.emplace_back("an element's text is longer than 1 MiB and was cut there");
    }
    // The latest leak check seen is the one that counts, even in a log cut off before the final one.
    leak_round_.flush(sink_);
    result_.complete = root_closed_;
    if (!root_closed_ && !state_seen_ && result_.recognised && !result_.ppid.empty() && !any_record_) {
      // With --child-silent-after-fork=no a forked child starts its own XML; when it execs a
      // program valgrind does not follow, the file stops after the preamble, before any state.
      // So does a valgrind killed as it started: analysis tells them apart by the parent's log.
      result_.left_tool = true;
      result_.incomplete_reason =
          "the XML stops before valgrind reported any state: valgrind was killed as it "
          "started, or this is a forked child that exec'd a program valgrind does not follow";
    } else if (!root_closed_) {
      result_.incomplete_reason = "the XML is cut off: </valgrindoutput> never came";
    } else if (protocol_tool_ != "memcheck" && protocol_tool_ != "none") {
      result_.complete = false;
      result_.incomplete_reason = protocol_tool_.empty()
                                      ? "the XML names no tool (<protocoltool>): nothing shows memcheck ran"
                                      : "the XML is " + protocol_tool_ + "'s, not memcheck's";
    } else if (!finished_) {
      result_.complete = false;
      result_.incomplete_reason =
          "valgrind never reported the FINISHED state: the program did not run to its end";
    } else if (error_counts_seen_ && errors_counted_ != errors_seen_) {
      result_.complete = false;
      result_.incomplete_reason = "valgrind's <errorcounts> lists " + std::to_string(errors_counted_) +
                                  " errors but the log holds " + std::to_string(errors_seen_) +
                                  " error records";
    }
    const auto version = detail::parse_count(protocol_version_);
    if (version && (*version < 4 || *version > 6)) {
      result_.warnings.push_back("protocol version " + std::to_string(*version) +
                                 " is untested; parsed as protocol 6");
    }
    return std::move(result_);
  }

 private:
  // Starts a record in the reused finding, keeping every buffer's capacity.
  void begin_record() {
    aux_what_.clear();
    fields_.clear();
    stack_key_ = kKeySeed;
    stack_key_frames_ = 0;
    stack_key_valid_ = true;
    stacks_used_ = 0;
    finding_.bytes = 0;
    finding_.blocks = 0;
    finding_.message.clear();
    finding_.detail.clear();
    finding_.address.clear();
  }

  void begin_stack(Tag parent) {
    target_ = nullptr;
    frames_used_ = 0;
    if (parent == Tag::Root) {
      begin_record();  // A bare top-level stack is a record of its own (see end_stack).
    } else if (parent != Tag::Error && parent != Tag::Origin && parent != Tag::FatalSignal) {
      return;  // <clientmsg> stacks and the like: read past them.
    }
    if (finding_.stack_labels.size() <= stacks_used_) {
      finding_.stack_labels.resize(stacks_used_ + 1);
    }
    finding_.stack_labels[stacks_used_] = stacks_used_ == 0 ? std::string() : aux_what_;
    aux_what_.clear();
    if (stacks_used_ == 0) {
      target_ = &finding_.frames;
    } else {
      if (finding_.related_stacks.size() < stacks_used_) {
        finding_.related_stacks.resize(stacks_used_);
      }
      target_ = &finding_.related_stacks[stacks_used_ - 1];
    }
    ++stacks_used_;
  }

  void begin_frame() {
    dir_.clear();
    frame_ = nullptr;
    if (target_ == nullptr) {
      return;
    }
    if (frames_used_ == target_->size()) {
      target_->emplace_back();
    }
    frame_ = &(*target_)[frames_used_++];
    frame_->function.clear();
    frame_->file.clear();
    frame_->object.clear();
    frame_->line = 0;
  }

  void end_frame() {
    if (frame_ == nullptr) {
      return;
    }
    // The frame's file is <dir>/<file> when both are known, so reports can link the source.
    if (known(dir_) && known(frame_->file)) {
      dir_.push_back('/');
      dir_ += frame_->file;
      frame_->file.swap(dir_);
    } else if (!known(frame_->file)) {
      frame_->file.clear();
    }
    if (!known(frame_->function)) {
      frame_->function.clear();
    }
    if (!known(frame_->object)) {
      frame_->object.clear();
    }
    frame_ = nullptr;
  }

  void end_stack(Tag parent) {
    if (target_ == nullptr) {
      return;
    }
    target_->resize(frames_used_);
    target_ = nullptr;
    if (parent == Tag::Root) {
      // Valgrind 3.19 (protocol 4) with --track-fds=yes prints each fd left open at exit as a
      // bare <stack> of where it was opened; the fd number and path go to the text log only.
      emit(FindingKind::FdLeak, "FdNotClosed");
      finding_.message.assign("file descriptor left open at exit (protocol 4 XML gives no fd number)");
      send();
    }
  }

  // Sets the kind and detail and trims the reused stacks to this record's.
  void emit(FindingKind kind, std::string_view detail_text) {
    finding_.kind = kind;
    finding_.detail.assign(detail_text);
    if (finding_.tools.size() != 1 || finding_.tools[0] != tool_name()) {
      finding_.tools.assign(1, tool_name());
    }
    if (stacks_used_ == 0) {
      finding_.frames.clear();
    }
    finding_.related_stacks.resize(stacks_used_ > 1 ? stacks_used_ - 1 : 0);
    finding_.stack_labels.resize(stacks_used_);
  }

  void send() {
    if (count_errors_) {
      sent_uniques_.push_back(fields_.unique);
    }
    sink_(std::move(finding_));
    stacks_used_ = 0;
  }

  // The valgrind tool whose XML this is, as its <tool> names it (memcheck unless helgrind or drd).
  core::Reporter tool_name() const {
    const std::optional<core::Reporter> named = core::reporter_named(protocol_tool_);
    return named == core::Reporter::Helgrind || named == core::Reporter::Drd ? *named : core::Reporter::Memcheck;
  }

  void end_error() {
    const FindingKind kind = detail::memcheck_kind(fields_.kind);
    emit(kind, fields_.kind);
    finding_.address.assign(fields_.address);
    if (fields_.kind.rfind("Leak_", 0) == 0) {
      finding_.message.assign(fields_.xwhat_text);
      finding_.bytes = detail::direct_leak_bytes(fields_.xwhat_text)
                           .value_or(detail::parse_count(fields_.leaked_bytes).value_or(0));
      finding_.blocks = detail::parse_count(fields_.leaked_blocks).value_or(0);
      std::optional<std::uint64_t> key;
      if (stack_key_valid_ && stack_key_frames_ > 0) {
        key = mix(stack_key_, static_cast<std::uint64_t>(kind));
      }
      leak_round_.add(finding_, fields_.xwhat_text, key);
      stacks_used_ = 0;
      leak_record_closed_ = true;
      return;
    }
    finding_.message.assign(known(fields_.what) ? fields_.what : fields_.xwhat_text);
    if (kind == FindingKind::FdLeak && !known(finding_.message)) {
      finding_.message =
          "file descriptor " + (known(fields_.fd) ? fields_.fd : std::string("?")) + " left open at exit";
      if (known(fields_.path)) {
        finding_.message += ": " + fields_.path;
      }
    }
    send();
  }

  static constexpr std::uint64_t kKeySeed = 0xcbf29ce484222325ULL;

  static std::uint64_t mix(std::uint64_t key, std::uint64_t value) {
    key ^= value + 0x9e3779b97f4a7c15ULL + (key << 6) + (key >> 2);
    return key * 0x100000001b3ULL;
  }

  // The allocation stack's code addresses identify a loss record within one leak check as
  // Valgrind itself does; a record whose addresses are placeholders ("0x........", as Valgrind's
  // test filters write) has no key.
  void add_to_stack_key(std::string_view ip) {
    ip = detail::trim(ip);
    if (ip.size() < 3 || ip.size() > 18 || ip[0] != '0' || (ip[1] != 'x' && ip[1] != 'X')) {
      stack_key_valid_ = false;
      return;
    }
    std::uint64_t value = 0;
    for (const char c : ip.substr(2)) {
      const int digit = c >= '0' && c <= '9'   ? c - '0'
                        : c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                               : -1;
      if (digit < 0) {
        stack_key_valid_ = false;
        return;
      }
      value = value * 16 + static_cast<std::uint64_t>(digit);
    }
    stack_key_ = mix(stack_key_, value);
    ++stack_key_frames_;
  }

  void end_fatal_signal() {
    const std::string name = known(fields_.signame) ? fields_.signame : "signal " + fields_.signo;
    emit(FindingKind::Crash, name);
    finding_.message = "fatal signal " + name;
    if (known(fields_.event)) {
      finding_.message += ": " + fields_.event;
    }
    if (known(fields_.siaddr)) {
      finding_.message += " at " + fields_.siaddr;
    }
    send();
  }

  const FindingSink& sink_;
  core::ParseResult result_;
  std::vector<Tag> stack_;
  bool root_closed_ = false;
  bool finished_ = false;
  bool state_seen_ = false;
  bool any_record_ = false;
  bool error_counts_seen_ = false;
  std::uint64_t errors_counted_ = 0;  // <pair>s of <errorcounts>: valgrind's own count of errors shown.
  std::uint64_t errors_seen_ = 0;     // Non-leak, non-fd <error> records parsed.
  std::string protocol_version_;
  std::string protocol_tool_;
  RecordFields fields_;
  Finding finding_;
  std::size_t stacks_used_ = 0;
  std::vector<Frame>* target_ = nullptr;
  std::size_t frames_used_ = 0;
  Frame* frame_ = nullptr;
  std::string dir_;
  std::string aux_what_;  // The last <auxwhat> of the record, the label of the stack after it.
  std::string pair_unique_;
  bool count_errors_ = false;                          // Keep what occurrences() needs (O(errors)).
  std::vector<std::string> sent_uniques_;              // <unique> of each record sent, in order.
  std::map<std::string, std::uint64_t> error_counts_;  // <errorcounts>: unique → count.
  std::string pair_name_;
  std::string pair_count_;
  detail::LeakRound leak_round_;
  std::uint64_t stack_key_ = kKeySeed;  // Of the addresses of the record's first stack.
  std::size_t stack_key_frames_ = 0;
  bool stack_key_valid_ = true;
  bool leak_record_closed_ = false;  // The top-level element that just closed was a loss record.
};

}  // namespace

core::ParseResult stream_memcheck_xml(std::istream& in, const FindingSink& sink) {
  MemcheckReader reader(sink);
  detail::XmlTokenizer<MemcheckReader> tokenizer(in, reader);
  return reader.finish(tokenizer.run());
}

core::ParseResult parse_memcheck(std::istream& in) {
  // Error records that repeat one another (same kind and stacks) merge into one finding as they
  // stream, so memory follows the distinct findings, not the records; their memcheck counts add
  // up. Loss records come from the last leak round only and are kept as they are.
  std::vector<Finding> findings;
  std::unordered_map<std::string, std::size_t> index_of;  // record key → finding
  std::vector<std::size_t> sent_to;                       // per error record sent: its finding
  const FindingSink collect = [&](Finding&& finding) {
    if (!merges_repeats(finding.kind)) {
      findings.push_back(std::move(finding));
      return;
    }
    const auto [it, inserted] = index_of.try_emplace(record_key(finding), findings.size());
    if (inserted) {
      findings.push_back(std::move(finding));
    }
    sent_to.push_back(it->second);
  };
  MemcheckReader reader(collect);
  reader.count_errors();
  detail::XmlTokenizer<MemcheckReader> tokenizer(in, reader);
  auto result = reader.finish(tokenizer.run());
  for (const std::size_t at : sent_to) {
    findings[at].occurrences = 0;
  }
  for (std::size_t n = 0; n < sent_to.size(); ++n) {
    findings[sent_to[n]].occurrences += reader.count_of_sent(n);
  }
  result.findings = std::move(findings);
  return result;
}

}  // namespace plumb::parse

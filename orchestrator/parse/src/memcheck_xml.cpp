#include "plumb/parse/memcheck_xml.hpp"

#include <expat.h>

#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "memcheck_kinds.hpp"
#include "text.hpp"

namespace plumb::parse {
namespace {

using core::Finding;
using core::FindingKind;
using core::Frame;

// The elements the parser cares about; everything else is Other and its text is ignored.
enum class Tag : unsigned char {
  Other,
  Root,
  ProtocolVersion,
  ProtocolTool,
  State,
  Error,
  Kind,
  What,
  Xwhat,
  Text,
  LeakedBytes,
  LeakedBlocks,
  AuxWhat,
  Stack,
  Frame,
  Obj,
  Fn,
  Dir,
  File,
  Line,
  FatalSignal,
  Signo,
  Signame,
  Event,
  Siaddr,
  SuppCounts,
  Pair,
  Count,
  Name,
  Origin,
  Fd,
  Path,
  ClientMsg,
};

// Dispatches on the first letter first: this runs for every element of a log that may be
// gigabytes long.
Tag tag_of(const char* name) {
  struct Entry {
    const char* name;
    Tag tag;
  };
  static constexpr Entry kTags[] = {
      {"frame", Tag::Frame},
      {"fn", Tag::Fn},
      {"file", Tag::File},
      {"fatal_signal", Tag::FatalSignal},
      {"fd", Tag::Fd},
      {"line", Tag::Line},
      {"leakedbytes", Tag::LeakedBytes},
      {"leakedblocks", Tag::LeakedBlocks},
      {"dir", Tag::Dir},
      {"obj", Tag::Obj},
      {"origin", Tag::Origin},
      {"stack", Tag::Stack},
      {"state", Tag::State},
      {"suppcounts", Tag::SuppCounts},
      {"signo", Tag::Signo},
      {"signame", Tag::Signame},
      {"siaddr", Tag::Siaddr},
      {"error", Tag::Error},
      {"event", Tag::Event},
      {"kind", Tag::Kind},
      {"what", Tag::What},
      {"auxwhat", Tag::AuxWhat},
      {"xwhat", Tag::Xwhat},
      {"text", Tag::Text},
      {"valgrindoutput", Tag::Root},
      {"protocolversion", Tag::ProtocolVersion},
      {"protocoltool", Tag::ProtocolTool},
      {"pair", Tag::Pair},
      {"path", Tag::Path},
      {"count", Tag::Count},
      {"clientmsg", Tag::ClientMsg},
      {"name", Tag::Name},
  };
  const char first = name[0];
  for (const auto& entry : kTags) {
    if (entry.name[0] == first && std::strcmp(entry.name + 1, name + 1) == 0) {
      return entry.tag;
    }
  }
  return Tag::Other;
}

// Leaf elements whose text is kept.
bool captures_text(Tag tag) {
  switch (tag) {
    case Tag::ProtocolVersion:
    case Tag::ProtocolTool:
    case Tag::State:
    case Tag::Kind:
    case Tag::What:
    case Tag::Text:
    case Tag::LeakedBytes:
    case Tag::LeakedBlocks:
    case Tag::Obj:
    case Tag::Fn:
    case Tag::Dir:
    case Tag::File:
    case Tag::Line:
    case Tag::Signo:
    case Tag::Signame:
    case Tag::Event:
    case Tag::Siaddr:
    case Tag::Count:
    case Tag::Name:
    case Tag::Fd:
    case Tag::Path:
      return true;
    default:
      return false;
  }
}

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

  void clear() {
    for (std::string* field : {&kind, &what, &xwhat_text, &leaked_bytes, &leaked_blocks, &fd, &path, &signo,
                               &signame, &event, &siaddr}) {
      field->clear();
    }
  }
};

// Reads the element events of one memcheck XML document. Stacks are written straight into one
// reused Finding (frames first, then related_stacks), which the sink receives when its record
// closes; memory therefore depends on the largest record, not on the size of the log.
class MemcheckReader {
 public:
  explicit MemcheckReader(const FindingSink& sink) : sink_(sink) { stack_.reserve(16); }

  void start(const char* name) {
    const Tag tag = tag_of(name);
    const Tag parent = stack_.empty() ? Tag::Other : stack_.back();
    stack_.push_back(tag);
    capturing_ = captures_text(tag);
    text_.clear();
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
        break;
      default:
        break;
    }
  }

  void characters(const char* data, int length) {
    if (capturing_) {
      text_.append(data, static_cast<std::size_t>(length));
    }
  }

  void end() {
    if (stack_.empty()) {
      return;
    }
    const Tag tag = stack_.back();
    stack_.pop_back();
    const Tag parent = stack_.empty() ? Tag::Other : stack_.back();
    capturing_ = false;
    switch (tag) {
      case Tag::Root:
        root_closed_ = true;
        break;
      case Tag::ProtocolVersion:
        protocol_version_.assign(detail::trim(text_));
        break;
      case Tag::ProtocolTool:
        protocol_tool_.assign(detail::trim(text_));
        break;
      case Tag::State:
        finished_ = finished_ || detail::trim(text_) == "FINISHED";
        break;
      case Tag::Kind:
        if (parent == Tag::Error) {
          fields_.kind.assign(detail::trim(text_));
        }
        break;
      case Tag::What:
        if (parent == Tag::Error) {
          fields_.what.assign(detail::trim(text_));
        }
        break;
      case Tag::Text:
        if (parent == Tag::Xwhat) {
          fields_.xwhat_text.assign(detail::trim(text_));
        }
        break;
      case Tag::LeakedBytes:
        fields_.leaked_bytes.assign(text_);
        break;
      case Tag::LeakedBlocks:
        fields_.leaked_blocks.assign(text_);
        break;
      case Tag::Fd:
        fields_.fd.assign(detail::trim(text_));
        break;
      case Tag::Path:
        fields_.path.assign(detail::trim(text_));
        break;
      case Tag::Signo:
        fields_.signo.assign(detail::trim(text_));
        break;
      case Tag::Signame:
        fields_.signame.assign(detail::trim(text_));
        break;
      case Tag::Event:
        fields_.event.assign(detail::trim(text_));
        break;
      case Tag::Siaddr:
        fields_.siaddr.assign(detail::trim(text_));
        break;
      case Tag::Fn:
        if (frame_ != nullptr) {
          frame_->function.assign(text_);
        }
        break;
      case Tag::Obj:
        if (frame_ != nullptr) {
          frame_->object.assign(text_);
        }
        break;
      case Tag::Dir:
        dir_.assign(text_);
        break;
      case Tag::File:
        if (frame_ != nullptr) {
          frame_->file.assign(text_);
        }
        break;
      case Tag::Line:
        if (frame_ != nullptr) {
          frame_->line = static_cast<int>(detail::parse_count(text_).value_or(0));
        }
        break;
      case Tag::Frame:
        end_frame();
        break;
      case Tag::Stack:
        end_stack(parent);
        break;
      case Tag::Error:
        end_error();
        break;
      case Tag::FatalSignal:
        end_fatal_signal();
        break;
      case Tag::Name:
        pair_name_.assign(detail::trim(text_));
        break;
      case Tag::Count:
        pair_count_.assign(text_);
        break;
      case Tag::Pair:
        if (parent == Tag::SuppCounts && known(pair_name_)) {
          result_.tool_suppressions.push_back({pair_name_, detail::parse_count(pair_count_).value_or(0)});
        }
        break;
      default:
        break;
    }
    text_.clear();
  }

  // A log is complete when its root element closed; junk after it only earns a warning.
  core::ParseResult finish() {
    result_.complete = root_closed_;
    if (result_.recognised && root_closed_ && !finished_) {
      result_.warnings.emplace_back("the log never reports the FINISHED state");
    }
    const auto version = detail::parse_count(protocol_version_);
    if (version && (*version < 4 || *version > 6)) {
      result_.warnings.push_back("protocol version " + std::to_string(*version) +
                                 " is untested; parsed as protocol 6");
    }
    return std::move(result_);
  }

  core::ParseResult& result() { return result_; }

  // Whether the element just opened is one whose text is kept.
  bool capturing() const { return capturing_; }

 private:
  // Starts a record in the reused finding, keeping every buffer's capacity.
  void begin_record() {
    fields_.clear();
    stacks_used_ = 0;
    finding_.bytes = 0;
    finding_.blocks = 0;
    finding_.message.clear();
    finding_.detail.clear();
  }

  void begin_stack(Tag parent) {
    target_ = nullptr;
    frames_used_ = 0;
    if (parent == Tag::Root) {
      begin_record();  // A bare top-level stack is a record of its own (see end_stack).
    } else if (parent != Tag::Error && parent != Tag::Origin && parent != Tag::FatalSignal) {
      return;  // <clientmsg> stacks and the like: read past them.
    }
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
  }

  void send() {
    sink_(std::move(finding_));
    stacks_used_ = 0;
  }

  std::string tool_name() const {
    if (protocol_tool_ == "helgrind" || protocol_tool_ == "drd") {
      return protocol_tool_;
    }
    return "memcheck";
  }

  void end_error() {
    const FindingKind kind = detail::memcheck_kind(fields_.kind);
    emit(kind, fields_.kind);
    const bool leak = fields_.kind.rfind("Leak_", 0) == 0;
    if (leak) {
      finding_.message.assign(fields_.xwhat_text);
      finding_.bytes = detail::direct_leak_bytes(fields_.xwhat_text)
                           .value_or(detail::parse_count(fields_.leaked_bytes).value_or(0));
      finding_.blocks = detail::parse_count(fields_.leaked_blocks).value_or(0);
    } else {
      finding_.message.assign(known(fields_.what) ? fields_.what : fields_.xwhat_text);
    }
    if (kind == FindingKind::FdLeak && !known(finding_.message)) {
      finding_.message =
          "file descriptor " + (known(fields_.fd) ? fields_.fd : std::string("?")) + " left open at exit";
      if (known(fields_.path)) {
        finding_.message += ": " + fields_.path;
      }
    }
    send();
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
  std::string text_;
  bool capturing_ = false;
  bool root_closed_ = false;
  bool finished_ = false;
  std::string protocol_version_;
  std::string protocol_tool_;
  RecordFields fields_;
  Finding finding_;
  std::size_t stacks_used_ = 0;
  std::vector<Frame>* target_ = nullptr;
  std::size_t frames_used_ = 0;
  Frame* frame_ = nullptr;
  std::string dir_;
  std::string pair_name_;
  std::string pair_count_;
};

// What expat's callbacks reach: the reader and the parser (to switch text delivery on and off).
struct Callbacks {
  MemcheckReader* reader;
  XML_Parser parser;
};

void XMLCALL on_characters(void* user, const XML_Char* data, int length) {
  static_cast<Callbacks*>(user)->reader->characters(data, length);
}

// Text is delivered only inside the leaf elements the reader keeps: expat then skips the
// callback for the whitespace and unread text that make up much of a log.
void XMLCALL on_start(void* user, const XML_Char* name, const XML_Char** /*attributes*/) {
  auto* callbacks = static_cast<Callbacks*>(user);
  callbacks->reader->start(name);
  XML_SetCharacterDataHandler(callbacks->parser, callbacks->reader->capturing() ? on_characters : nullptr);
}

void XMLCALL on_end(void* user, const XML_Char* /*name*/) {
  auto* callbacks = static_cast<Callbacks*>(user);
  callbacks->reader->end();
  XML_SetCharacterDataHandler(callbacks->parser, nullptr);
}

struct ParserDeleter {
  void operator()(XML_Parser parser) const { XML_ParserFree(parser); }
};

constexpr int kChunkBytes = 1 << 18;

}  // namespace

core::ParseResult stream_memcheck_xml(std::istream& in, const FindingSink& sink) {
  MemcheckReader reader(sink);
  std::unique_ptr<XML_ParserStruct, ParserDeleter> parser(XML_ParserCreate(nullptr));
  if (!parser) {
    throw std::bad_alloc();
  }
  Callbacks callbacks{&reader, parser.get()};
  XML_SetUserData(parser.get(), &callbacks);
  XML_SetElementHandler(parser.get(), on_start, on_end);

  bool at_end = false;
  while (!at_end) {
    void* buffer = XML_GetBuffer(parser.get(), kChunkBytes);
    if (buffer == nullptr) {
      throw std::bad_alloc();
    }
    in.read(static_cast<char*>(buffer), kChunkBytes);
    const auto got = static_cast<int>(in.gcount());
    at_end = got < kChunkBytes;
    if (XML_ParseBuffer(parser.get(), got, at_end ? XML_TRUE : XML_FALSE) == XML_STATUS_ERROR) {
      const auto line = static_cast<long>(XML_GetCurrentLineNumber(parser.get()));
      const XML_Error code = XML_GetErrorCode(parser.get());
      std::string what = XML_ErrorString(code);
      if (code == XML_ERROR_UNCLOSED_TOKEN || code == XML_ERROR_NO_ELEMENTS ||
          code == XML_ERROR_PARTIAL_CHAR) {
        what = "the log ends mid-document (" + what + "); the run was probably cut off";
      } else {
        what += "; the rest of the log is ignored";
      }
      reader.result().warnings.push_back("line " + std::to_string(line) + ": " + what);
      break;
    }
  }
  return reader.finish();
}

core::ParseResult parse_memcheck(std::istream& in) {
  std::vector<Finding> findings;
  auto result =
      stream_memcheck_xml(in, [&findings](Finding&& finding) { findings.push_back(std::move(finding)); });
  result.findings = std::move(findings);
  return result;
}

}  // namespace plumb::parse

// A streaming tokenizer for the XML subset Valgrind writes (internal to plumb_parse).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace plumb::parse::detail {

// Appends the UTF-8 encoding of the reference `entity` ("lt", "amp", "#38", "#x26", ... without
// '&' and ';') to `out`; false when it is not one of the five predefined entities or a valid
// character reference.
bool append_entity(std::string_view entity, std::string& out);

// Replaces every byte of `text` that is not part of a valid UTF-8 sequence with U+FFFD, so that
// what a log holds can always be written as JSON.
void repair_utf8(std::string& text);

// The line (1-based) of position `at` of `data`, counting from `first_line`.
long line_at(const char* data, std::size_t at, long first_line);

// The number of '\n' in the `size` bytes at `data`.
std::size_t count_newlines(const char* data, std::size_t size);

// How a document ended.
struct XmlOutcome {
  bool root_closed = false;     // The root element closed (what comes after it is ignored).
  bool cut_off = false;         // The input ended inside the document.
  bool text_truncated = false;  // An element's text was longer than 1 MiB and was cut there.
  std::string error;            // "line N: ..." when the input is malformed or cut off; empty otherwise.
};

// Reads `in` in fixed-size chunks and calls `handler.start(name)` (returning whether it wants the
// element's text) and `handler.end(text)` per element, in document order. It reads elements,
// text, the five predefined entities and numeric character references, tolerates attributes and
// CDATA, skips comments, processing instructions and the doctype, and checks that the structure
// is well formed (one root, matching end tags, no text outside the root); it stops at the first
// fault. Text is handed over only for the elements that asked for it, so memory is one chunk,
// one tag and the names of the open elements.
template <typename Handler>
class XmlTokenizer {
 public:
  XmlTokenizer(std::istream& in, Handler& handler) : in_(in), handler_(handler) {}

  XmlOutcome run() {
    buffer_.resize(kChunkBytes + 1);
    skip_byte_order_mark();
    while (outcome_.error.empty() && !outcome_.root_closed) {
      if (pos_ == end_ && !refill()) {
        break;
      }
      const Step step = buffer_[pos_] == '<' ? markup() : text();
      if (step == Step::NeedMore && !refill() && outcome_.error.empty()) {
        cut_off("unclosed token");
      }
    }
    if (outcome_.error.empty() && !outcome_.root_closed) {
      cut_off(root_seen_ ? "unclosed element" : "no element found");
    }
    if (outcome_.error.empty() && outcome_.root_closed) {
      check_epilogue();
    }
    return std::move(outcome_);
  }

 private:
  enum class Step { Done, NeedMore };

  static constexpr std::size_t kChunkBytes = std::size_t{1} << 18;
  static constexpr std::size_t kMaxMarkupBytes = std::size_t{1} << 20;  // One tag, comment, ...
  static constexpr std::size_t kMaxTextBytes = std::size_t{1} << 20;    // One element's text.
  static constexpr std::size_t kMaxDepth = 1024;
  static constexpr std::size_t kMaxOpenNameBytes = std::size_t{1} << 16;
  static constexpr std::size_t kMaxEntityBytes = 12;  // "&#x10FFFF;" and the like.

  const char* data() const { return buffer_.data(); }

  // Moves the unread bytes to the front and reads one more chunk; false when nothing more came
  // (or the pending token is too long to keep, which is an error).
  bool refill() {
    if (at_eof_) {
      return false;
    }
    if (end_ - pos_ > kMaxMarkupBytes) {
      fail(pos_, "a tag longer than 1 MiB; the rest of the log is ignored");
      return false;
    }
    first_line_ += static_cast<long>(count_newlines(buffer_.data(), pos_));
    std::memmove(buffer_.data(), buffer_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
    if (buffer_.size() < end_ + kChunkBytes + 1) {
      buffer_.resize(end_ + kChunkBytes + 1);
    }
    in_.read(buffer_.data() + end_, static_cast<std::streamsize>(kChunkBytes));
    const auto got = static_cast<std::size_t>(in_.gcount());
    end_ += got;
    buffer_[end_] = '\0';  // A sentinel: lookahead of one byte never reads past the data.
    if (got < kChunkBytes) {
      at_eof_ = true;
    }
    return got > 0;
  }

  void skip_byte_order_mark() {
    if (refill() && end_ >= 3 && std::memcmp(data(), "\xEF\xBB\xBF", 3) == 0) {
      pos_ = 3;
    }
  }

  void fail(std::size_t at, const std::string& what) {
    if (outcome_.error.empty()) {
      outcome_.error = "line " + std::to_string(line_at(data(), at, first_line_)) + ": " + what;
    }
  }

  void cut_off(const std::string& what) {
    outcome_.cut_off = true;
    fail(end_, "the log ends mid-document (" + what + "); the run was probably cut off");
  }

  static bool is_blank(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

  // Character data up to the next '<' (or the end of the buffer).
  Step text() {
    const char* begin = data() + pos_;
    const char* stop = static_cast<const char*>(std::memchr(begin, '<', end_ - pos_));
    if (stop == nullptr) {
      stop = data() + end_;
    }
    if (depth_ == 0) {
      for (const char* c = begin; c < stop; ++c) {
        if (!is_blank(*c)) {
          fail(pos_, "not well-formed (text outside the root element); the rest of the log is ignored");
          return Step::Done;
        }
      }
      pos_ = static_cast<std::size_t>(stop - data());
      return Step::Done;
    }
    if (!capturing_) {
      pos_ = static_cast<std::size_t>(stop - data());
      return Step::Done;
    }
    const char* cursor = begin;
    while (cursor < stop) {
      const char* amp =
          static_cast<const char*>(std::memchr(cursor, '&', static_cast<std::size_t>(stop - cursor)));
      append_text(cursor, amp == nullptr ? stop : amp);
      if (amp == nullptr) {
        break;
      }
      const std::size_t window = std::min<std::size_t>(static_cast<std::size_t>(stop - amp), kMaxEntityBytes);
      const char* semicolon = static_cast<const char*>(std::memchr(amp, ';', window));
      if (semicolon == nullptr) {
        pos_ = static_cast<std::size_t>(amp - data());
        if (stop == data() + end_ && window < kMaxEntityBytes) {
          return Step::NeedMore;  // The reference continues in the next chunk.
        }
        fail(pos_, "not well-formed (malformed entity reference)");
        return Step::Done;
      }
      if (!append_entity(std::string_view(amp + 1, static_cast<std::size_t>(semicolon - amp - 1)),
                         scratch_)) {
        fail(static_cast<std::size_t>(amp - data()), "undefined entity or invalid character reference");
        return Step::Done;
      }
      append_text(scratch_.data(), scratch_.data() + scratch_.size());
      scratch_.clear();
      cursor = semicolon + 1;
    }
    pos_ = static_cast<std::size_t>(stop - data());
    return Step::Done;
  }

  void append_text(const char* begin, const char* end) {
    const auto room = kMaxTextBytes - std::min(kMaxTextBytes, text_.size());
    text_.append(begin, std::min(room, static_cast<std::size_t>(end - begin)));
  }

  // The first `terminator` at or after `from`, as an offset, or npos when not yet in the buffer.
  std::size_t find(std::size_t from, std::string_view terminator) const {
    if (terminator.size() == 1) {
      const void* found = std::memchr(data() + from, terminator[0], end_ - from);
      return found == nullptr ? std::string_view::npos
                              : static_cast<std::size_t>(static_cast<const char*>(found) - data());
    }
    const auto at = std::string_view(data() + from, end_ - from).find(terminator);
    return at == std::string_view::npos ? at : from + at;
  }

  // The '>' that ends the tag whose name starts at `from`, skipping quoted attribute values.
  std::size_t tag_end(std::size_t from) const {
    const char* cursor = data() + from;
    const char* const limit = data() + end_;
    while (cursor < limit) {
      const char* gt =
          static_cast<const char*>(std::memchr(cursor, '>', static_cast<std::size_t>(limit - cursor)));
      if (gt == nullptr) {
        return std::string_view::npos;
      }
      const char* quote = cursor;
      while (quote < gt && *quote != '"' && *quote != '\'') {
        ++quote;
      }
      if (quote == gt) {
        return static_cast<std::size_t>(gt - data());
      }
      const char* close = static_cast<const char*>(
          std::memchr(quote + 1, *quote, static_cast<std::size_t>(limit - quote - 1)));
      if (close == nullptr) {
        return std::string_view::npos;
      }
      cursor = close + 1;
    }
    return std::string_view::npos;
  }

  static bool starts_name(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
           static_cast<unsigned char>(c) >= 0x80;
  }

  Step markup() {
    if (end_ - pos_ < 2) {
      return Step::NeedMore;
    }
    const char kind = buffer_[pos_ + 1];
    if (kind == '/') {
      return end_tag();
    }
    if (kind == '?') {
      const auto close = find(pos_ + 2, "?>");
      if (close == std::string_view::npos) {
        return Step::NeedMore;
      }
      pos_ = close + 2;
      return Step::Done;
    }
    if (kind == '!') {
      return declaration();
    }
    return start_tag();
  }

  Step declaration() {
    if (end_ - pos_ < 9 && !at_eof_) {
      return Step::NeedMore;
    }
    const std::string_view head(data() + pos_, std::min<std::size_t>(end_ - pos_, 9));
    if (head.substr(0, 4) == "<!--") {
      const auto close = find(pos_ + 4, "-->");
      if (close == std::string_view::npos) {
        return Step::NeedMore;
      }
      pos_ = close + 3;
      return Step::Done;
    }
    if (head == "<![CDATA[") {
      const auto close = find(pos_ + 9, "]]>");
      if (close == std::string_view::npos) {
        return Step::NeedMore;
      }
      if (depth_ == 0) {
        fail(pos_, "not well-formed (CDATA outside the root element)");
        return Step::Done;
      }
      if (capturing_) {
        append_text(data() + pos_ + 9, data() + close);
      }
      pos_ = close + 3;
      return Step::Done;
    }
    if (head.substr(0, 9) == "<!DOCTYPE") {
      // <!DOCTYPE ...> with an optional [internal subset].
      const auto bracket = find(pos_, "[");
      const auto gt = find(pos_, ">");
      if (gt == std::string_view::npos) {
        return Step::NeedMore;
      }
      if (bracket != std::string_view::npos && bracket < gt) {
        const auto close = find(bracket, "]");
        const auto after = close == std::string_view::npos ? close : find(close, ">");
        if (after == std::string_view::npos) {
          return Step::NeedMore;
        }
        pos_ = after + 1;
        return Step::Done;
      }
      pos_ = gt + 1;
      return Step::Done;
    }
    fail(pos_, "not well-formed (invalid markup)");
    return Step::Done;
  }

  Step start_tag() {
    if (!starts_name(buffer_[pos_ + 1])) {
      fail(pos_, "not well-formed (invalid token)");
      return Step::Done;
    }
    const auto gt = tag_end(pos_ + 1);
    if (gt == std::string_view::npos) {
      return Step::NeedMore;
    }
    if (root_seen_ && depth_ == 0) {
      fail(pos_, "junk after document element; the rest of the log is ignored");
      return Step::Done;
    }
    if (depth_ == kMaxDepth) {
      fail(pos_, "elements nested deeper than " + std::to_string(kMaxDepth));
      return Step::Done;
    }
    const char* name_begin = data() + pos_ + 1;
    const char* name_end = name_begin;
    const char* const tag_last = data() + gt;
    while (name_end < tag_last && !is_blank(*name_end) && *name_end != '/') {
      ++name_end;
    }
    const bool empty_element = buffer_[gt - 1] == '/' && gt - 1 > pos_ + 1;
    const std::string_view name(name_begin, static_cast<std::size_t>(name_end - name_begin));
    if (open_names_.size() + name.size() > kMaxOpenNameBytes) {
      fail(pos_, "element names longer than 64 KiB in all; the rest of the log is ignored");
      return Step::Done;
    }
    root_seen_ = true;
    open_names_.append(name);
    name_ends_.push_back(open_names_.size());
    ++depth_;
    text_.clear();
    capturing_ = handler_.start(name);
    pos_ = gt + 1;
    if (empty_element) {
      close_element();
    }
    return Step::Done;
  }

  Step end_tag() {
    const auto gt = find(pos_ + 2, ">");
    if (gt == std::string_view::npos) {
      return Step::NeedMore;
    }
    std::string_view name(data() + pos_ + 2, gt - pos_ - 2);
    while (!name.empty() && is_blank(name.back())) {
      name.remove_suffix(1);
    }
    if (depth_ == 0) {
      fail(pos_, "not well-formed (an end tag without a start tag)");
      return Step::Done;
    }
    const std::size_t name_begin = name_ends_.size() > 1 ? name_ends_[name_ends_.size() - 2] : 0;
    if (std::string_view(open_names_).substr(name_begin) != name) {
      fail(pos_, "mismatched tag </" + std::string(name) + ">; the rest of the log is ignored");
      return Step::Done;
    }
    pos_ = gt + 1;
    close_element();
    return Step::Done;
  }

  void close_element() {
    if (capturing_) {
      // Bounded memory: no real record has a megabyte of text in one element.
      outcome_.text_truncated = outcome_.text_truncated || text_.size() >= kMaxTextBytes;
      repair_utf8(text_);
    }
    handler_.end(capturing_ ? std::string_view(text_) : std::string_view());
    capturing_ = false;
    text_.clear();
    name_ends_.pop_back();
    open_names_.resize(name_ends_.empty() ? 0 : name_ends_.back());
    --depth_;
    if (depth_ == 0) {
      outcome_.root_closed = true;
    }
  }

  // After the root: only blanks, comments and processing instructions (as expat allows).
  void check_epilogue() {
    while (true) {
      if (pos_ == end_ && !refill()) {
        return;
      }
      const char* begin = data() + pos_;
      const char* stop = begin;
      while (stop < data() + end_ && is_blank(*stop)) {
        ++stop;
      }
      pos_ = static_cast<std::size_t>(stop - data());
      if (pos_ == end_) {
        continue;
      }
      const std::string_view rest(data() + pos_, end_ - pos_);
      const bool comment = rest.substr(0, 4) == "<!--";
      const bool instruction = rest.substr(0, 2) == "<?";
      if (!comment && !instruction) {
        if (rest.size() < 4 && !at_eof_ && std::string_view("<!--").substr(0, rest.size()) == rest) {
          if (!refill()) {
            return;
          }
          continue;
        }
        fail(pos_, "junk after document element; the rest of the log is ignored");
        return;
      }
      const auto close = find(pos_, comment ? "-->" : "?>");
      if (close == std::string_view::npos) {
        if (!refill()) {
          return;  // A comment cut off after the root: the document itself is whole.
        }
        continue;
      }
      pos_ = close + (comment ? 3 : 2);
    }
  }

  std::istream& in_;
  Handler& handler_;
  std::vector<char> buffer_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  bool at_eof_ = false;
  long first_line_ = 1;  // The line of buffer_[0].
  bool root_seen_ = false;
  bool capturing_ = false;
  std::size_t depth_ = 0;
  std::string open_names_;              // The names of the open elements, concatenated.
  std::vector<std::size_t> name_ends_;  // Where each open element's name ends in open_names_.
  std::string text_;
  std::string scratch_;
  XmlOutcome outcome_;
};

}  // namespace plumb::parse::detail

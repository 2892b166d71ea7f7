#include "xml_tokenizer.hpp"

#include "plumb/core/utf8.hpp"

#include <cstdint>
#include <cstring>

namespace plumb::parse::detail {
namespace {

void append_utf8(std::uint32_t code, std::string& out) {
  if (code < 0x80) {
    out.push_back(static_cast<char>(code));
  } else if (code < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code >> 6)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else if (code < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  }
}

// The character allowed by XML 1.0's Char production (what a reference may name).
bool is_xml_char(std::uint32_t code) {
  return code == 0x9 || code == 0xA || code == 0xD || (code >= 0x20 && code <= 0xD7FF) ||
         (code >= 0xE000 && code <= 0xFFFD) || (code >= 0x10000 && code <= 0x10FFFF);
}

std::uint64_t load_word(const char* at) {
  std::uint64_t word = 0;
  std::memcpy(&word, at, sizeof word);
  return word;
}

constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
constexpr std::uint64_t kLowSevenBits = 0x7F7F7F7F7F7F7F7FULL;

// 1 in each byte of `word` that is zero, 0 in the others (exact: no carries between bytes).
std::uint64_t zero_byte_flags(std::uint64_t word) {
  const std::uint64_t high_set_where_nonzero = ((word & kLowSevenBits) + kLowSevenBits) | word;
  return (~(high_set_where_nonzero | kLowSevenBits)) >> 7;
}

// The sum of the eight bytes of `counts`, each at most 31.
std::size_t sum_of_bytes(std::uint64_t counts) {
  return static_cast<std::size_t>((counts * 0x0101010101010101ULL) >> 56);
}

}  // namespace

bool append_entity(std::string_view entity, std::string& out) {
  if (entity == "lt") {
    out.push_back('<');
  } else if (entity == "gt") {
    out.push_back('>');
  } else if (entity == "amp") {
    out.push_back('&');
  } else if (entity == "quot") {
    out.push_back('"');
  } else if (entity == "apos") {
    out.push_back('\'');
  } else if (entity.size() >= 2 && entity[0] == '#') {
    const bool hex = entity[1] == 'x';
    const std::string_view digits = entity.substr(hex ? 2 : 1);
    if (digits.empty() || digits.size() > 8) {
      return false;
    }
    std::uint32_t code = 0;
    for (const char c : digits) {
      std::uint32_t digit = 0;
      if (c >= '0' && c <= '9') {
        digit = static_cast<std::uint32_t>(c - '0');
      } else if (hex && c >= 'a' && c <= 'f') {
        digit = static_cast<std::uint32_t>(c - 'a' + 10);
      } else if (hex && c >= 'A' && c <= 'F') {
        digit = static_cast<std::uint32_t>(c - 'A' + 10);
      } else {
        return false;
      }
      code = code * (hex ? 16 : 10) + digit;
    }
    if (!is_xml_char(code)) {
      return false;
    }
    append_utf8(code, out);
  } else {
    return false;
  }
  return true;
}

void repair_utf8(std::string& text) {
  std::size_t at = 0;
  // Eight bytes at a time: this sees nearly every byte the parser keeps.
  while (at + 8 <= text.size() && (load_word(text.data() + at) & kHighBits) == 0) {
    at += 8;
  }
  while (at < text.size() && static_cast<unsigned char>(text[at]) < 0x80) {
    ++at;
  }
  if (at == text.size()) {
    return;  // ASCII, as nearly every log is.
  }
  std::string repaired = text.substr(0, at);
  while (at < text.size()) {
    if (static_cast<unsigned char>(text[at]) < 0x80) {
      repaired.push_back(text[at++]);
      continue;
    }
    std::uint32_t code = 0;
    const std::size_t length = core::utf8_sequence_length(text, at, code);
    if (length == 0) {
      repaired += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      ++at;
    } else {
      repaired.append(text, at, length);
      at += length;
    }
  }
  text.swap(repaired);
}

long line_at(const char* data, std::size_t at, long first_line) {
  return first_line + static_cast<long>(count_newlines(data, at));
}

std::size_t count_newlines(const char* data, std::size_t size) {
  // Eight bytes at a time (every byte of a log passes here once, when its chunk is consumed).
  constexpr std::uint64_t kNewlines = 0x0A0A0A0A0A0A0A0AULL;
  std::size_t count = 0;
  std::size_t at = 0;
  while (at + 8 <= size) {
    // Per-byte counters for up to 31 words, so that their sum still fits in one byte.
    std::uint64_t counts = 0;
    for (int words = 0; words < 31 && at + 8 <= size; ++words, at += 8) {
      counts += zero_byte_flags(load_word(data + at) ^ kNewlines);
    }
    count += sum_of_bytes(counts);
  }
  for (; at < size; ++at) {
    count += data[at] == '\n' ? 1 : 0;
  }
  return count;
}

}  // namespace plumb::parse::detail

#include "plumb/core/terminal_text.hpp"

#include "plumb/core/utf8.hpp"

#include <cstdint>

namespace plumb::core {
namespace {

void append_hex(std::string& out, unsigned char byte) {
  constexpr const char* kDigits = "0123456789abcdef";
  out += "\\x";
  out += kDigits[byte >> 4];
  out += kDigits[byte & 0x0F];
}

}  // namespace

std::string terminal_safe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    const auto byte = static_cast<unsigned char>(text[at]);
    if (byte < 0x20 || byte == 0x7F) {
      switch (byte) {
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default:
          append_hex(out, byte);
      }
      ++at;
      continue;
    }
    std::uint32_t code = 0;
    const std::size_t length = utf8_sequence_length(text, at, code);
    const bool c1_control = length == 2 && code >= 0x80 && code < 0xA0;  // U+0080..U+009F
    if (length == 0) {
      append_hex(out, byte);
      ++at;
    } else if (c1_control) {
      append_hex(out, byte);
      append_hex(out, static_cast<unsigned char>(text[at + 1]));
      at += 2;
    } else {
      out.append(text.substr(at, length));
      at += length;
    }
  }
  return out;
}

}  // namespace plumb::core

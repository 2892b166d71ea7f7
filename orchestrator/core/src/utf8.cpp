#include "plumb/core/utf8.hpp"

#include <array>

namespace plumb::core {

std::size_t utf8_sequence_length(std::string_view text, std::size_t at, std::uint32_t& code) {
  const auto lead = static_cast<unsigned char>(text[at]);
  std::size_t length = 0;
  code = lead;
  if (lead < 0x80) {
    return 1;
  }
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    code = lead & 0x1FU;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    code = lead & 0x0FU;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    code = lead & 0x07U;
  } else {
    return 0;
  }
  if (at + length > text.size()) {
    return 0;
  }
  for (std::size_t i = 1; i < length; ++i) {
    const auto continuation = static_cast<unsigned char>(text[at + i]);
    if ((continuation & 0xC0) != 0x80) {
      return 0;
    }
    code = (code << 6) | (continuation & 0x3FU);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not valid UTF-8.
  constexpr std::array<std::uint32_t, 5> kMinimum = {0, 0, 0x80, 0x800, 0x10000};
  if (code < kMinimum[length] || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) {
    return 0;
  }
  return length;
}

}  // namespace plumb::core

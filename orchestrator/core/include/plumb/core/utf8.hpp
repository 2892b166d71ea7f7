// Reading UTF-8: the one decoder the XML tokenizer, the report escapers and the terminal share.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace plumb::core {

// Length of the valid UTF-8 sequence starting at text[at] (1 for ASCII), its code point in `code`;
// 0 when the bytes there are not one (a stray continuation byte, an overlong form, a surrogate, a
// value past U+10FFFF, or a sequence cut by the end of the text).
std::size_t utf8_sequence_length(std::string_view text, std::size_t at, std::uint32_t& code);

}  // namespace plumb::core

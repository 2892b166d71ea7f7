// core::terminal_safe: no control character reaches a terminal raw.
#include <gtest/gtest.h>

#include "plumb/core/terminal_text.hpp"

namespace plumb::core {
namespace {

TEST(TerminalSafe, ShowsControlCharactersEscaped) {
  EXPECT_EQ(terminal_safe("a\x1b[31mb\nverdict: PASS\r\t\x7f"), "a\\x1b[31mb\\nverdict: PASS\\r\\t\\x7f");
  EXPECT_EQ(terminal_safe(std::string_view("x\0y", 3)), "x\\x00y");
}

TEST(TerminalSafe, KeepsPrintableUtf8AndEscapesC1ControlsAndInvalidBytes) {
  EXPECT_EQ(terminal_safe("caf\xc3\xa9 \xe2\x9c\x93"), "caf\xc3\xa9 \xe2\x9c\x93");
  EXPECT_EQ(terminal_safe("\xc2\x9b"
                          "2J"),
            "\\xc2\\x9b2J");  // U+009B, the 8-bit CSI
  EXPECT_EQ(terminal_safe("\xff\xc3"), "\\xff\\xc3");
}

}  // namespace
}  // namespace plumb::core

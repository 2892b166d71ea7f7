// One sanitizer stack frame line, in any of the shapes ASan/LSan/UBSan and TSan print.
#pragma once

#include <optional>
#include <string_view>

#include "plumb/core/model.hpp"

namespace plumb::parse::detail {

// A frame and its "#N" index.
struct IndexedFrame {
  int index = 0;
  core::Frame frame;
};

// Parses "#3 0x4f4b44 in main files/asan.cpp:5:10", "#0 0x41aaf9 in _start (a.out+0x41aaf9)",
// "#1 main files/tsan.cpp:24:2 (a.out+0x4b529e)", "#3 _start <null> (a.out+0x41c8d9)" and the
// like (a trailing "(BuildId: ...)" is ignored); nullopt when `line` is not a frame line.
std::optional<IndexedFrame> parse_frame_line(std::string_view line);

}  // namespace plumb::parse::detail

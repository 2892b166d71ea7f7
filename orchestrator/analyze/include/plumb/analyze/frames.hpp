// Telling the code under test apart from allocator, interceptor and start-up frames.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "plumb/core/model.hpp"

namespace plumb::analyze {

// Whether `frame` belongs to an allocator, sanitizer/valgrind runtime, libc start code or
// std::thread plumbing rather than to the program (by function name, or object for valgrind).
bool is_runtime_frame(const core::Frame& frame);

// The frames from the first non-runtime frame on (innermost first), with the outermost run of
// start-up frames dropped; runtime frames in the middle of user code are kept.
std::vector<core::Frame> user_frames(const std::vector<core::Frame>& frames);

// A function name spelled the same by every tool: no address, no parameter list, no ABI tags,
// no compiler clone suffixes (.constprop.0, .isra.0, .cold), no leading/trailing blanks.
std::string normalize_function(std::string_view function);

}  // namespace plumb::analyze

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

// A function as identity names it, the one spelling memcheck, gcc's and clang's sanitizers all
// reduce to: normalize_function, then template arguments and every scope dropped (namespaces,
// classes, "(anonymous namespace)", lambda closures "{lambda(int)#1}" and "$_0"), e.g.
// "(anonymous namespace)::Holder<double, 5>::make()" and "make" both become "make", and
// "main::$_0::operator()(int) const" and "operator()" both become "operator()".
std::string canonical_function(std::string_view function);

// One frame's identity: its canonical function and its source file's basename
// ("make@holder.cpp"; the file tells apart the names canonical_function makes alike); a frame
// with no function but a file (a UBSan location) is "ub.c:12"; one with neither is "?" and its
// object's basename.
std::string frame_identity(const core::Frame& frame);

// The frames a finding's identity reads, innermost first: its user frames (not runtime, not
// library code, see core/frame_origin.hpp), with each run of one identity (recursion) taken
// once; the library frames only when there is no user frame at all; never a frame that is an
// address alone (no function, file or object).
std::vector<const core::Frame*> identity_frames(const std::vector<core::Frame>& frames);

// Sets Frame::library on every frame of the finding's stacks (core/frame_origin.hpp), which the
// reports show dimmed and never as what the finding is "at".
void mark_library_frames(core::Finding& finding);

}  // namespace plumb::analyze

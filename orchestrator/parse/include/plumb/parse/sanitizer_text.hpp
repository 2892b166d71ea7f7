// The text reports of the sanitizers (ASan, LSan, UBSan, TSan, and MSan when it shows up).
#pragma once

#include <istream>

#include "plumb/core/parse_result.hpp"

namespace plumb::parse {

// An ASan log: memory errors, DEADLYSIGNAL crashes, and the LSan and UBSan reports it embeds.
core::ParseResult parse_asan(std::istream& in);

// A standalone LSan log (or an ASan log's leak part): direct and indirect leaks.
core::ParseResult parse_lsan(std::istream& in);

// A UBSan log: `file:line:col: runtime error: ...` with or without a stack.
core::ParseResult parse_ubsan(std::istream& in);

// A TSan log: data races, thread leaks, lock-order inversions, crashes; the WARNING line may or
// may not carry a ==PID== prefix.
core::ParseResult parse_tsan(std::istream& in);

}  // namespace plumb::parse

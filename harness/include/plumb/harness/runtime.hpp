#pragma once

#include <string_view>

#include "plumb/harness/options.hpp"

namespace plumb::harness {

// What the harness runs under, which decides how live heap is measured and what a snapshot is.
enum class Runtime { Native, AddressSanitizer, ThreadSanitizer, Memcheck, Massif, OtherValgrind };

// The report spelling of a runtime ("native", "asan", "tsan", "memcheck", "massif", "valgrind").
std::string_view to_string(Runtime runtime);

// Detects the runtime: the sanitizer this binary was built with, or the Valgrind tool it runs
// under (from `tool` when given, else from the tool's preload library in LD_PRELOAD).
Runtime detect_runtime(ValgrindTool tool);

// True when running under any Valgrind tool.
bool running_on_valgrind();

}  // namespace plumb::harness

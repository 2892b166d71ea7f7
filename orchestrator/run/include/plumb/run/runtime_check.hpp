// Whether a program carries the sanitizer runtime a tool needs: a clean sanitizer run writes no
// log, so an uninstrumented program would otherwise look clean.
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

#include "plumb/core/tools.hpp"

namespace plumb::run {

// The symbol every program built for `tool` references (`__asan_init`, `__tsan_init`); empty for
// tools that need no instrumentation.
std::string_view runtime_symbol(core::Tool tool);

// Throws core::InfrastructureError when `program` is an ELF file that does not contain `symbol`
// (scripts and other non-ELF files are not judged: they may start an instrumented program).
void require_runtime(const std::filesystem::path& program, std::string_view symbol, core::Tool tool);

// The same check for the programs a wrapper runs: throws (naming the first) when every one of
// `programs` is an ELF file without `symbol`.
void require_runtime(const std::vector<std::filesystem::path>& programs, std::string_view symbol,
                     core::Tool tool);

}  // namespace plumb::run

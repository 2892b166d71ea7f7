// Memcheck's error <kind> names onto the unified taxonomy (internal to plumb_parse).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "plumb/core/model.hpp"

namespace plumb::parse::detail {

// The taxonomy kind of a memcheck (or helgrind/none) <kind>: Leak_* to leak.*, FdNotClosed to
// fd.leak, Race to race, LockOrder to deadlock, every other error kind to memory.error.
core::FindingKind memcheck_kind(std::string_view kind);

// The direct bytes of a loss record from its text: "93 (16 direct, 77 indirect) bytes in 1
// blocks ..." gives 16, "77 bytes in 1 blocks ..." gives 77; nullopt when the text says neither.
std::optional<std::uint64_t> direct_leak_bytes(std::string_view text);

}  // namespace plumb::parse::detail

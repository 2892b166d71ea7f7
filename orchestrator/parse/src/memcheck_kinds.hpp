// Memcheck's error <kind> names onto the unified taxonomy, and the numbers in its loss record
// texts (internal to plumb_parse).
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
// blocks ..." gives 16, "77 bytes in 1 blocks ..." gives 77, and the delta form of an added leak
// check ("93 (+93) (16 (+16) direct, 77 (+77) indirect) bytes ...") gives 16 too; nullopt when
// the text says neither.
std::optional<std::uint64_t> direct_leak_bytes(std::string_view text);

// Where a loss record sits in the leak check that printed it.
struct LossRecordPosition {
  std::optional<std::uint64_t> index;  // X of "in loss record X of N".
  std::optional<std::uint64_t> count;  // N of "in loss record X of N".
  bool delta = false;                  // The check printed changes, "(+16)", as added checks do.
};

// The position of a loss record from its text; index and count stay empty when the text does
// not end with "in loss record X of N" (e.g. Valgrind's test filters wrote "...").
LossRecordPosition loss_record_position(std::string_view text);

}  // namespace plumb::parse::detail

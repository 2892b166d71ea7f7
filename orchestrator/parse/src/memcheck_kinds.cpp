#include "memcheck_kinds.hpp"

#include "text.hpp"

namespace plumb::parse::detail {

core::FindingKind memcheck_kind(std::string_view kind) {
  using core::FindingKind;
  if (kind == "Leak_DefinitelyLost") {
    return FindingKind::LeakDefinite;
  }
  if (kind == "Leak_IndirectlyLost") {
    return FindingKind::LeakIndirect;
  }
  if (kind == "Leak_PossiblyLost") {
    return FindingKind::LeakPossible;
  }
  if (kind == "Leak_StillReachable") {
    return FindingKind::LeakReachable;
  }
  if (kind == "FdNotClosed") {
    return FindingKind::FdLeak;
  }
  if (kind == "Race") {
    return FindingKind::Race;
  }
  if (kind == "LockOrder") {
    return FindingKind::Deadlock;
  }
  // InvalidRead/Write/Free/Jump, MismatchedFree, Uninit*, SyscallParam, Overlap, ClientCheck,
  // FishyValue, InvalidMemPool, ReallocSizeZero, InvalidAlignment, FdBadClose, ...: the tool's
  // own name stays in `detail`.
  return FindingKind::MemoryError;
}

std::optional<std::uint64_t> direct_leak_bytes(std::string_view text) {
  text = trim(text);
  const auto space = text.find(' ');
  if (space == std::string_view::npos) {
    return std::nullopt;
  }
  const auto total = parse_count(text.substr(0, space));
  auto rest = text.substr(space + 1);
  if (rest.substr(0, 1) == "(") {
    // "(16 direct, 77 indirect) bytes in ..."
    const auto direct_end = rest.find(" direct");
    if (direct_end == std::string_view::npos) {
      return std::nullopt;
    }
    return parse_count(rest.substr(1, direct_end - 1));
  }
  if (rest.substr(0, 5) != "bytes") {
    return std::nullopt;
  }
  return total;
}

}  // namespace plumb::parse::detail

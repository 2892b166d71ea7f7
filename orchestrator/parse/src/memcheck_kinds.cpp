#include "memcheck_kinds.hpp"

#include "text.hpp"

namespace plumb::parse::detail {
namespace {

// Skips a change of an added leak check, " (+93)" or " (-16)", at the start of `rest`.
void skip_delta(std::string_view& rest) {
  if (rest.substr(0, 3) == " (+" || rest.substr(0, 3) == " (-") {
    const auto close = rest.find(')');
    if (close != std::string_view::npos) {
      rest.remove_prefix(close + 1);
    }
  }
}

}  // namespace

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
  auto rest = text.substr(space);
  skip_delta(rest);
  if (rest.substr(0, 2) == " (") {
    // " (16 direct, 77 indirect) bytes in ..." or " (16 (+16) direct, 77 (+77) indirect) ..."
    rest.remove_prefix(2);
    const auto direct_end = rest.find(' ');
    if (direct_end == std::string_view::npos) {
      return std::nullopt;
    }
    const auto direct = parse_count(rest.substr(0, direct_end));
    rest.remove_prefix(direct_end);
    skip_delta(rest);
    if (rest.substr(0, 7) != " direct") {
      return std::nullopt;
    }
    return direct;
  }
  if (rest.substr(0, 6) != " bytes") {
    return std::nullopt;
  }
  return total;
}

LossRecordPosition loss_record_position(std::string_view text) {
  LossRecordPosition position;
  position.delta = text.find(" (+") != std::string_view::npos || text.find(" (-") != std::string_view::npos;
  constexpr std::string_view kMarker = "loss record ";
  const auto at = text.rfind(kMarker);
  if (at == std::string_view::npos) {
    return position;
  }
  const auto numbers = trim(text.substr(at + kMarker.size()));
  const auto of = numbers.find(" of ");
  if (of == std::string_view::npos) {
    return position;
  }
  const auto index = parse_count(numbers.substr(0, of));
  const auto count = parse_count(numbers.substr(of + 4));
  if (index && count) {
    position.index = index;
    position.count = count;
  }
  return position;
}

}  // namespace plumb::parse::detail

// massif.out heap trees to allocation folded stacks (bytes live per allocating stack).
#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <string>

#include "plumb/profile/folded.hpp"

namespace plumb::profile {

// Which snapshot's heap tree to fold.
enum class MassifSnapshot { Peak, LastDetailed };

// The heap tree of one massif snapshot as folded stacks: outermost caller first, the allocating
// function last, weighted by the bytes massif attributes to that stack.
struct MassifProfile {
  int snapshot = -1;            // The snapshot folded.
  std::uint64_t heap_bytes = 0;  // Its mem_heap_B.
  FoldedProfile folded;
};

// Folds the chosen snapshot's tree; `index` (when given) picks a snapshot by number instead.
// Throws core::UsageError naming `source`:line on a malformed tree line or when no detailed tree exists.
MassifProfile fold_massif(std::istream& in, const std::string& source, MassifSnapshot which = MassifSnapshot::Peak,
                          std::optional<int> index = std::nullopt);

}  // namespace plumb::profile

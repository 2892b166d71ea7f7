// Folded stacks ("outer;inner;leaf 123" per line), the common currency of every profile converter.
#pragma once

#include <cstdint>
#include <istream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace plumb::profile {

// One call stack, outermost frame first.
using Stack = std::vector<std::string>;

// A profile as weighted stacks: identical stacks are merged, so each appears once.
struct FoldedProfile {
  std::map<Stack, std::uint64_t> counts;

  // Adds `count` to `stack` (a zero count or an empty stack changes nothing).
  void add(const Stack& stack, std::uint64_t count);

  // The sum of every stack's count.
  std::uint64_t total() const;
};

// Parses folded text; blank lines are skipped, empty frames (a trailing ';') dropped.
// Throws core::UsageError naming `source`:line on a line without a count or without frames.
FoldedProfile parse_folded(std::istream& in, const std::string& source);

// The profile as folded text, one "a;b;c count" line per stack, in stack order.
std::string to_folded_text(const FoldedProfile& profile);

// A frame name made safe for the folded format: ';' and line breaks become ':' and ' '.
std::string sanitize_frame(std::string_view name);

}  // namespace plumb::profile

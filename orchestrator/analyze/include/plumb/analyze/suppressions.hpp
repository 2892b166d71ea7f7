// The unified suppressions file (suppressions/plumb.toml): loading, matching and native export.
#pragma once

#include <filesystem>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plumb/core/model.hpp"

namespace plumb::analyze {

// One entry: which kinds it covers and the frame pattern it matches.
struct Suppression {
  std::string id;
  std::vector<core::FindingKind> kinds;
  // Function globs (`*`, `?`), top-down from the innermost user frame; "..." matches any run of
  // frames (including none). The pattern must match a prefix of the finding's frames.
  std::vector<std::string> frames;
  std::string reason;
  std::optional<std::string> expires;  // YYYY-MM-DD: the last day the entry applies.
  long line = 0;                       // Where the entry starts in its file.
};

// Every entry of one file, in file order.
struct SuppressionSet {
  std::string source;
  std::vector<Suppression> entries;
};

// Parses a suppressions TOML document; throws core::UsageError "source:line: problem".
SuppressionSet parse_suppressions(std::istream& in, const std::string& source_name);

// Reads and parses a suppressions file; a missing file is a UsageError.
SuppressionSet load_suppressions(const std::filesystem::path& path);

// Whether the glob `pattern` (`*` any run of characters, `?` one character) matches `text`.
bool glob_match(std::string_view pattern, std::string_view text);

// Whether `entry`'s kinds include the finding's kind and its frame pattern matches the finding's
// frames (compared by normalized function name).
bool matches(const Suppression& entry, const core::Finding& finding);

// Whether `entry` has expired on `today` (YYYY-MM-DD), i.e. its expiry date is before today.
bool is_expired(const Suppression& entry, std::string_view today);

// The set as the native suppressions file of `tool` (valgrind, lsan, tsan, ubsan); entries
// whose kinds the tool cannot report are left out. Throws core::UsageError for another tool.
std::string export_suppressions(const SuppressionSet& set, std::string_view tool);

}  // namespace plumb::analyze

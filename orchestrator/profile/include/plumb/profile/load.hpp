// Reading a profile file of any supported format into folded stacks (the I/O around the parsers).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "plumb/profile/folded.hpp"

namespace plumb::profile {

// The formats plumb folds.
enum class InputFormat { Folded, PerfScript, Callgrind, Massif };

// The format spelled `name` ("folded", "perf", "callgrind", "massif"); throws core::UsageError otherwise.
InputFormat parse_input_format(const std::string& name);

// Format-specific choices; the defaults suit most files.
struct LoadOptions {
  std::string callgrind_event;           // Empty: the file's first event (Ir).
  std::optional<int> massif_snapshot;    // Empty: the peak snapshot.
  bool massif_last = false;              // Fold the last detailed snapshot instead of the peak.
  bool perf_kernel = true;               // Keep kernel frames of perf samples.
};

// A loaded profile and the unit its counts are in.
struct LoadedProfile {
  FoldedProfile folded;
  std::string unit;  // "samples", "Ir" (callgrind event), "bytes".
};

// Reads and folds `path`. Throws core::UsageError (unreadable file, bad content, naming file:line).
LoadedProfile load_profile(InputFormat format, const std::filesystem::path& path, const LoadOptions& options = {});

}  // namespace plumb::profile

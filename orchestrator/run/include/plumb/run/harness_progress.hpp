// What a running harness's samples file says about its progress, for plumb's "still running" line.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace plumb::run {

// From the meta line (iterations asked for) and the last complete sample line of a samples file
// being written: e.g. "iteration 3900/10000, 39%, ETA 18m02s". nullopt while the file is missing or
// holds no complete sample yet. Reads the first line and at most the last 64 KiB.
std::optional<std::string> harness_progress(const std::filesystem::path& samples_file);

}  // namespace plumb::run

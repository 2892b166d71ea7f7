// Reading a whole (small) file into memory: configs, presets, CTest listings, file API replies.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace plumb::core {

// The bytes of the file at `path`, or nullopt when it cannot be opened (missing, a folder, no
// permission). Logs are streamed by their parsers instead: this is for files read whole.
std::optional<std::string> read_text_file(const std::filesystem::path& path);

}  // namespace plumb::core

// Writing output files so that a reader never sees half of one.
#pragma once

#include <filesystem>
#include <string_view>

namespace plumb::core {

// Writes `content` to a temporary file beside `path`, flushes it and renames it over `path`.
// Throws InfrastructureError when the folder cannot be written.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

// Throws InfrastructureError unless `dir` exists (it is created) and a file can be written in it.
void ensure_writable_directory(const std::filesystem::path& dir);

}  // namespace plumb::core

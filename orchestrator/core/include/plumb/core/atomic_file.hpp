// Writing output files so that a reader never sees half of one.
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

namespace plumb::core {

// Writes `content` to a temporary file beside `path`, flushes it and renames it over `path`.
// Throws InfrastructureError when the folder cannot be written.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

// One file of a set written together.
struct FileContent {
  std::filesystem::path path;
  std::string_view content;
};

// Replaces every file of `files` or none: each is first staged (written and flushed beside its
// target, where a full disk shows), then all are renamed into place; a rename that fails puts the
// earlier files back. Throws InfrastructureError naming the file that failed, with the previous
// set left whole.
void write_files_together(const std::vector<FileContent>& files);

// Throws InfrastructureError unless `dir` exists (it is created) and a file can be written in it.
void ensure_writable_directory(const std::filesystem::path& dir);

}  // namespace plumb::core

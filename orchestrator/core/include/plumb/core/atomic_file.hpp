// Writing output files so that a reader never sees half of one.
#pragma once

#include <filesystem>
#include <string>
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

// A set of files replaced together, staged one by one so that a caller rendering them holds one
// in memory at a time: stage() writes and flushes a file beside its target (where a full disk
// shows), commit() renames them all into place or none. What was staged and not committed is
// removed when the set is destroyed; the previous files are left whole.
class FileSet {
 public:
  FileSet() = default;
  ~FileSet();
  FileSet(const FileSet&) = delete;
  FileSet& operator=(const FileSet&) = delete;

  // Writes `content` to a temporary file beside `path`; throws InfrastructureError naming it.
  void stage(const std::filesystem::path& path, std::string_view content);

  // Renames every staged file over its target; a rename that fails puts the earlier files back
  // and throws InfrastructureError naming the file that failed.
  void commit();

 private:
  void discard() noexcept;

  std::vector<std::filesystem::path> targets_;
  std::vector<std::string> staged_;  // The temporary file of each target, in the same order.
};

// Replaces every file of `files` or none: each is first staged (written and flushed beside its
// target, where a full disk shows), then all are renamed into place; a rename that fails puts the
// earlier files back. Throws InfrastructureError naming the file that failed, with the previous
// set left whole.
void write_files_together(const std::vector<FileContent>& files);

// Throws InfrastructureError unless `dir` exists (it is created) and a file can be written in it.
void ensure_writable_directory(const std::filesystem::path& dir);

}  // namespace plumb::core

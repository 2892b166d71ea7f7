// The report folder and what plumb may do in it: names that become paths, the folders plumb made
// (and only those may be replaced), and the lock that keeps two runs out of one folder.
#pragma once

#include <filesystem>
#include <string_view>

namespace plumb::core {

// The file that marks a folder as made by plumb; only folders holding it are ever deleted.
inline constexpr std::string_view kOwnedMarker = ".plumb-made";

// The lock file inside a report folder, held (flock) by the run that writes into it.
inline constexpr std::string_view kLockFile = ".plumb-lock";

// Whether `c` may stand in a name that becomes a folder: a letter, a digit, '-', '_' or '.'.
bool is_path_name_char(char c);

// Throws UsageError unless `name` can be one folder inside the report folder: 1 to 100 letters,
// digits, '-', '_' or '.', not starting with '.' (so never "." or ".."), and not a name plumb
// uses itself (build-logs). `what` says where the name came from, e.g. "--name".
void check_path_name(std::string_view name, std::string_view what);

// Whether `dir` is a folder plumb made (holds the marker); false when it does not exist.
bool is_owned_dir(const std::filesystem::path& dir);

// Writes the marker into an existing folder: plumb takes it as its own from now on.
void mark_owned(const std::filesystem::path& dir);

// Throws UsageError when `dir` exists but plumb did not make it (it would not be deleted).
void require_owned_or_absent(const std::filesystem::path& dir);

// Makes `dir` an empty folder plumb owns, inside `root`: removes an earlier one plumb made,
// creates it and writes the marker. Throws UsageError for a folder plumb did not make or one
// outside `root`, InfrastructureError when it cannot be created.
void prepare_owned_dir(const std::filesystem::path& dir, const std::filesystem::path& root);

// An exclusive lock on a report folder for as long as it lives: <dir>/.plumb-lock, held with
// flock (released by the kernel even when the process is killed) and removed when done. The
// folder is created when missing.
class OutputLock {
 public:
  // Throws UsageError when another process holds it ("in use by plumb pid N"), and
  // InfrastructureError when the folder cannot be created or written.
  explicit OutputLock(const std::filesystem::path& dir);
  ~OutputLock();
  OutputLock(const OutputLock&) = delete;
  OutputLock& operator=(const OutputLock&) = delete;

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

}  // namespace plumb::core

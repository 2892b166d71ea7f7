// The report folder and what plumb may do in it: names that become paths, the folders plumb made
// (and only those may be replaced), and the lock that keeps two runs out of one folder.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace plumb::core {

// The file that marks a folder as made by plumb; only folders holding it are ever deleted.
inline constexpr std::string_view kOwnedMarker = ".plumb-made";

// The lock file inside a report folder, held (flock) by the run that writes into it.
inline constexpr std::string_view kLockFile = ".plumb-lock";

// plumb's folder of build logs inside a report folder.
inline constexpr std::string_view kBuildLogs = "build-logs";

// Whether `c` may stand in a name that becomes a folder: a letter, a digit, '-', '_' or '.'.
bool is_path_name_char(char c);

// Throws UsageError unless `name` can be one folder inside the report folder: 1 to 100 letters,
// digits, '-', '_' or '.', not starting with '.' (so never "." or ".."), and not a name plumb
// uses itself (build-logs). `what` says where the name came from, e.g. "--name".
void check_path_name(std::string_view name, std::string_view what);

// Throws UsageError naming `path` when it is a symbolic link (plumb never writes through one).
void refuse_link(const std::filesystem::path& path);

// open(2) of a file plumb writes itself, never through a link (O_NOFOLLOW, O_CLOEXEC added):
// throws UsageError naming a link, anything but a regular file, or a file with a second name (a
// hard link) found there, before O_TRUNC empties it; -1 with errno on other failures.
int open_for_writing(const std::filesystem::path& path, int flags, mode_t mode);

// open_for_writing of `path` below `root` (a folder plumb checked), each folder on the way opened
// with openat and O_NOFOLLOW from the one before: a link swapped in for a folder below `root` is
// refused by name, never followed. A path not below `root` is opened as open_for_writing does.
int open_beneath(const std::filesystem::path& root, const std::filesystem::path& path, int flags,
                 mode_t mode);

// Whether `dir` is a real folder (not a link) holding the marker as a regular file.
bool is_owned_dir(const std::filesystem::path& dir);

// Writes the marker into an existing folder (never through a link): plumb takes it as its own.
void mark_owned(const std::filesystem::path& dir);

// Marks every real folder below `dir`, a folder plumb made and emptied before its run, so that
// what the run created there (a snapshots folder, say) can be replaced by the next run.
void mark_owned_below(const std::filesystem::path& dir);

// Throws UsageError when `dir` exists but is a link, not a folder, or a folder that does not carry
// the marker at every level below it (it would not be deleted); names the first one without.
void require_owned_or_absent(const std::filesystem::path& dir);

// Deletes `dir` when it exists, after require_owned_or_absent, descending only into real folders
// that carry the marker (never through a link).
void remove_owned_dir(const std::filesystem::path& dir);

// Makes `dir` an empty folder plumb owns, inside `root`: removes an earlier one plumb made,
// creates it and writes the marker. Throws UsageError for a folder plumb did not make or one
// outside `root`, InfrastructureError when it cannot be created.
void prepare_owned_dir(const std::filesystem::path& dir, const std::filesystem::path& root);

// Makes `dir` a folder plumb owns, keeping what it holds: created and marked when absent, kept
// when marked, adopted when it holds only log files (an earlier plumb's); throws UsageError for a
// link or a foreign file (named).
void keep_owned_dir(const std::filesystem::path& dir);

// What a report folder may not be, and which unmarked folders in it the caller judges itself.
struct ReportFolderRules {
  // Folders the report folder must not be, each with what it is ("the project root").
  std::vector<std::pair<std::filesystem::path, std::string>> reserved;
  // Names of folders that may stand in it without the marker (the planned variants' folders,
  // which the pipeline adopts or refuses with its own message).
  std::vector<std::string> judged_elsewhere;
};

// Throws UsageError unless plumb may write its reports into `dir`: not "/", $HOME or one of
// `rules.reserved`; when it exists, a real folder holding nothing but plumb's own files (its
// lock, the reports it wrote, checked by content) and folders (marked, build-logs), and no link
// where those go. The message names the file or link found.
void check_report_folder(const std::filesystem::path& dir, const ReportFolderRules& rules = {});

// An exclusive lock on a report folder for as long as it lives: <dir>/.plumb-lock, held with
// flock (released by the kernel even when the process is killed) and removed when done. The
// folder is first checked (check_report_folder) and created when missing.
class OutputLock {
 public:
  // Throws UsageError when the folder is refused or another process holds it ("in use by plumb
  // pid N"), and InfrastructureError when the folder cannot be created or written.
  explicit OutputLock(const std::filesystem::path& dir, const ReportFolderRules& rules = {});
  ~OutputLock();
  OutputLock(const OutputLock&) = delete;
  OutputLock& operator=(const OutputLock&) = delete;

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

}  // namespace plumb::core

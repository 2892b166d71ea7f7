#include "plumb/core/output_dir.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "plumb/core/errors.hpp"

namespace plumb::core {

bool is_path_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.';
}

namespace {

// Whether `path` lies inside `root` (both made absolute and normal, no symlinks resolved).
bool inside(const std::filesystem::path& path, const std::filesystem::path& root) {
  const std::filesystem::path relative =
      std::filesystem::absolute(path).lexically_normal().lexically_relative(
          std::filesystem::absolute(root).lexically_normal());
  return !relative.empty() && *relative.begin() != ".." && relative != ".";
}

// A descriptor closed on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

// The names in the folder open as `dir_fd` (not "." or ".."); the descriptor stays open.
std::vector<std::string> entries_of(int dir_fd) {
  std::vector<std::string> names;
  const int copy = ::dup(dir_fd);
  DIR* listing = copy < 0 ? nullptr : ::fdopendir(copy);
  if (listing == nullptr) {
    if (copy >= 0) {
      ::close(copy);
    }
    return names;
  }
  ::rewinddir(listing);
  while (const dirent* entry = ::readdir(listing)) {
    const std::string name = entry->d_name;
    if (name != "." && name != "..") {
      names.push_back(name);
    }
  }
  ::closedir(listing);
  return names;
}

// Whether the folder open as `dir_fd` holds the marker as a regular file (a link does not count).
bool holds_marker(int dir_fd) {
  struct stat marker {};
  return ::fstatat(dir_fd, std::string(kOwnedMarker).c_str(), &marker, AT_SYMLINK_NOFOLLOW) == 0 &&
         S_ISREG(marker.st_mode);
}

// Opens the folder `name` inside `parent_fd` (AT_FDCWD: a path) without following a link.
int open_folder(int parent_fd, const char* name) {
  return ::openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

// Throws UsageError naming the first folder below `dir_fd` (shown as `shown`), the folder itself
// included, that does not carry the marker: plumb deletes nothing it cannot prove it made.
void require_marked_tree(int dir_fd, const std::filesystem::path& shown) {
  if (!holds_marker(dir_fd)) {
    throw UsageError(shown.string() + " was not made by plumb (no " + std::string(kOwnedMarker) +
                     " in it); plumb will not delete it: move it away or choose another --out");
  }
  for (const std::string& name : entries_of(dir_fd)) {
    struct stat entry {};
    if (::fstatat(dir_fd, name.c_str(), &entry, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(entry.st_mode)) {
      continue;  // a file or a link inside a folder plumb made: the run's own, removed as a name
    }
    const Fd child(open_folder(dir_fd, name.c_str()));
    if (child.get() < 0) {
      throw InfrastructureError((shown / name).string() + ": cannot open: " + std::strerror(errno));
    }
    require_marked_tree(child.get(), shown / name);
  }
}

// Removes everything inside the folder open as `dir_fd`, descending only into real folders (never
// through a link), then nothing else; require_marked_tree has vouched for every level.
void empty_tree(int dir_fd, const std::filesystem::path& shown) {
  for (const std::string& name : entries_of(dir_fd)) {
    struct stat entry {};
    if (::fstatat(dir_fd, name.c_str(), &entry, AT_SYMLINK_NOFOLLOW) != 0) {
      continue;
    }
    if (S_ISDIR(entry.st_mode)) {
      const Fd child(open_folder(dir_fd, name.c_str()));
      if (child.get() < 0 || !holds_marker(child.get())) {
        throw UsageError((shown / name).string() + " was not made by plumb (no " + std::string(kOwnedMarker) +
                         " in it); plumb will not delete it");
      }
      empty_tree(child.get(), shown / name);
      if (::unlinkat(dir_fd, name.c_str(), AT_REMOVEDIR) != 0) {
        throw InfrastructureError((shown / name).string() + ": cannot remove: " + std::strerror(errno));
      }
    } else if (::unlinkat(dir_fd, name.c_str(), 0) != 0 && errno != ENOENT) {
      throw InfrastructureError((shown / name).string() + ": cannot remove: " + std::strerror(errno));
    }
  }
}

// Marks every real folder below the folder open as `dir_fd` (links are left alone).
void mark_below(int dir_fd, const std::filesystem::path& shown) {
  for (const std::string& name : entries_of(dir_fd)) {
    struct stat entry {};
    if (::fstatat(dir_fd, name.c_str(), &entry, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(entry.st_mode)) {
      continue;
    }
    const Fd child(open_folder(dir_fd, name.c_str()));
    if (child.get() < 0) {
      continue;
    }
    if (!holds_marker(child.get())) {
      mark_owned(shown / name);
    }
    mark_below(child.get(), shown / name);
  }
}

}  // namespace

void check_path_name(std::string_view name, std::string_view what) {
  const std::string quoted = "'" + std::string(name) + "'";
  if (name.empty() || name.size() > 100 || !std::all_of(name.begin(), name.end(), is_path_name_char)) {
    throw UsageError(std::string(what) + " " + quoted +
                     " must be 1 to 100 letters, digits, '-', '_' or '.' (it names a folder of the report)");
  }
  if (name.front() == '.') {
    throw UsageError(std::string(what) + " " + quoted + " must not start with '.'");
  }
  if (name == kBuildLogs) {
    throw UsageError(std::string(what) + " " + quoted + " is the name of plumb's own build-logs folder");
  }
}

void refuse_link(const std::filesystem::path& path) {
  struct stat entry {};
  if (::lstat(path.c_str(), &entry) == 0 && S_ISLNK(entry.st_mode)) {
    throw UsageError(path.string() +
                     " is a symbolic link where plumb writes its own file or folder; plumb never writes "
                     "through a link: remove it or choose another --out");
  }
}

namespace {

// open_for_writing's open of `name` in the folder `dir_fd` (AT_FDCWD: `path` as given), shown as `path`.
int open_file_at(int dir_fd, const char* name, const std::filesystem::path& path, int flags, mode_t mode) {
  // Truncated only once it is known to be plumb's kind of file: a FIFO would block, a second name
  // (a hard link) would make plumb empty a file elsewhere.
  const bool truncate = (flags & O_TRUNC) != 0;
  const int fd = ::openat(dir_fd, name, (flags & ~O_TRUNC) | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, mode);
  if (fd < 0 && errno == ELOOP) {
    refuse_link(path);
  }
  if (fd < 0) {
    return fd;
  }
  struct stat opened {};
  if (::fstat(fd, &opened) != 0 || !S_ISREG(opened.st_mode)) {
    ::close(fd);
    throw UsageError(path.string() + " is not a regular file where plumb writes its own file: remove it");
  }
  if (opened.st_nlink > 1) {
    ::close(fd);
    throw UsageError(path.string() +
                     " has other names (a hard link) where plumb writes its own file; plumb "
                     "never writes into a file that is also elsewhere: remove it");
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  if (truncate && ::ftruncate(fd, 0) != 0) {
    const int truncate_error = errno;
    ::close(fd);
    errno = truncate_error;
    return -1;
  }
  return fd;
}

}  // namespace

int open_for_writing(const std::filesystem::path& path, int flags, mode_t mode) {
  return open_file_at(AT_FDCWD, path.c_str(), path, flags, mode);
}

int open_beneath(const std::filesystem::path& root, const std::filesystem::path& path, int flags,
                 mode_t mode) {
  const std::filesystem::path relative = path.lexically_normal().lexically_relative(root.lexically_normal());
  if (relative.empty() || *relative.begin() == ".." || !relative.has_filename()) {
    return open_for_writing(path, flags, mode);
  }
  int dir_fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) {
    return -1;
  }
  std::filesystem::path walked = root;
  for (const std::filesystem::path& folder : relative.parent_path()) {
    walked /= folder;
    const int next = open_folder(dir_fd, folder.c_str());
    const int open_error = errno;
    ::close(dir_fd);
    if (next < 0) {
      refuse_link(walked);
      errno = open_error;
      return -1;
    }
    dir_fd = next;
  }
  try {
    const int fd = open_file_at(dir_fd, relative.filename().c_str(), path, flags, mode);
    const int open_error = errno;
    ::close(dir_fd);
    errno = open_error;
    return fd;
  } catch (...) {
    ::close(dir_fd);
    throw;
  }
}

bool is_owned_dir(const std::filesystem::path& dir) {
  const Fd fd(open_folder(AT_FDCWD, dir.c_str()));
  return fd.get() >= 0 && holds_marker(fd.get());
}

void require_owned_or_absent(const std::filesystem::path& dir) {
  std::error_code error;
  const auto status = std::filesystem::symlink_status(dir, error);
  if (!std::filesystem::exists(status)) {
    return;
  }
  refuse_link(dir);
  const Fd fd(open_folder(AT_FDCWD, dir.c_str()));
  if (fd.get() < 0) {
    throw UsageError(dir.string() +
                     " exists and is not a folder plumb made; plumb will not replace it: "
                     "move it away or choose another --out");
  }
  require_marked_tree(fd.get(), dir);
}

void remove_owned_dir(const std::filesystem::path& dir) {
  require_owned_or_absent(dir);
  const Fd fd(open_folder(AT_FDCWD, dir.c_str()));
  if (fd.get() < 0) {
    return;  // absent
  }
  empty_tree(fd.get(), dir);
  if (::rmdir(dir.c_str()) != 0 && errno != ENOENT) {
    throw InfrastructureError(dir.string() + ": cannot remove: " + std::strerror(errno));
  }
}

void prepare_owned_dir(const std::filesystem::path& dir, const std::filesystem::path& root) {
  if (!inside(dir, root)) {
    throw UsageError(dir.string() + " is not inside the report folder " + root.string());
  }
  remove_owned_dir(dir);
  std::error_code ignored;
  std::filesystem::create_directories(dir.parent_path(), ignored);  // the report folder; checked before
  if (::mkdir(dir.c_str(), 0755) != 0) {
    throw InfrastructureError(dir.string() + ": cannot create the log folder: " + std::strerror(errno));
  }
  mark_owned(dir);
}

void keep_owned_dir(const std::filesystem::path& dir) {
  refuse_link(dir);
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    throw InfrastructureError(dir.string() + ": cannot create: " + std::strerror(errno));
  }
  const Fd fd(open_folder(AT_FDCWD, dir.c_str()));
  if (fd.get() < 0) {
    refuse_link(dir);
    throw UsageError(dir.string() + " is not a folder; plumb writes its own folder there: move it away");
  }
  if (holds_marker(fd.get())) {
    return;
  }
  // A folder of an earlier plumb (before the marker) holds only plumb's log files.
  for (const std::string& name : entries_of(fd.get())) {
    struct stat entry {};
    const bool log = ::fstatat(fd.get(), name.c_str(), &entry, AT_SYMLINK_NOFOLLOW) == 0 &&
                     S_ISREG(entry.st_mode) && name.find(".log") != std::string::npos;
    if (!log) {
      throw UsageError((dir / name).string() + " was not written by plumb (its folder " + dir.string() +
                       " has no " + std::string(kOwnedMarker) + "): move it away or choose another --out");
    }
  }
  mark_owned(dir);
}

void mark_owned(const std::filesystem::path& dir) {
  const std::filesystem::path marker = dir / kOwnedMarker;
  const int fd = open_for_writing(marker, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const std::string_view text = "made by plumb; plumb deletes this folder when it reruns the variant\n";
  const bool written = fd >= 0 && ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  if (fd >= 0) {
    ::close(fd);
  }
  if (!written) {
    throw InfrastructureError(marker.string() + ": cannot write");
  }
}

void mark_owned_below(const std::filesystem::path& dir) {
  const Fd fd(open_folder(AT_FDCWD, dir.c_str()));
  if (fd.get() >= 0 && holds_marker(fd.get())) {
    mark_below(fd.get(), dir);
  }
}

OutputLock::OutputLock(const std::filesystem::path& dir, const ReportFolderRules& rules)
    : path_(dir / kLockFile) {
  check_report_folder(dir, rules);
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    throw InfrastructureError(dir.string() + ": cannot create the output folder: " + error.message());
  }
  // The holder removes the file when it is done; a lock taken on a file that was just removed is
  // no lock at all, so after locking, the path must still name the locked file (else retry).
  for (int attempt = 0; attempt < 100; ++attempt) {
    fd_ = open_for_writing(path_, O_RDWR | O_CREAT, 0644);
    if (fd_ < 0) {
      throw InfrastructureError(dir.string() +
                                ": the output folder is not writable: " + std::strerror(errno));
    }
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      const int lock_error = errno;
      char holder[32] = {};
      const ssize_t got = ::pread(fd_, holder, sizeof holder - 1, 0);
      ::close(fd_);
      fd_ = -1;
      if (lock_error == EWOULDBLOCK) {
        std::string pid(holder, got > 0 ? static_cast<std::size_t>(got) : 0);
        pid.erase(std::remove(pid.begin(), pid.end(), '\n'), pid.end());
        throw UsageError(dir.string() + " is in use by another plumb run" +
                         (pid.empty() ? "" : " (pid " + pid + ")") +
                         "; wait for it to finish or choose another --out");
      }
      throw InfrastructureError(path_.string() + ": cannot lock: " + std::strerror(lock_error));
    }
    struct stat held {};
    struct stat named {};
    if (::fstat(fd_, &held) == 0 && ::lstat(path_.c_str(), &named) == 0 && held.st_ino == named.st_ino &&
        held.st_dev == named.st_dev) {
      break;
    }
    ::close(fd_);
    fd_ = -1;
  }
  if (fd_ < 0) {
    throw InfrastructureError(path_.string() + ": cannot lock: the lock file keeps being replaced");
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd_, 0) != 0 ||
      ::pwrite(fd_, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    const int write_error = errno;
    ::unlink(path_.c_str());
    ::close(fd_);
    fd_ = -1;
    throw InfrastructureError(dir.string() +
                              ": the output folder is not writable: " + std::strerror(write_error));
  }
}

OutputLock::~OutputLock() {
  if (fd_ >= 0) {
    ::unlink(path_.c_str());  // while still holding it: a waiter then retries on a fresh file
    ::close(fd_);
  }
}

}  // namespace plumb::core

#include "plumb/core/output_dir.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

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
  if (name == "build-logs") {
    throw UsageError(std::string(what) + " " + quoted + " is the name of plumb's own build-logs folder");
  }
}

bool is_owned_dir(const std::filesystem::path& dir) {
  std::error_code error;
  return std::filesystem::is_directory(std::filesystem::symlink_status(dir, error)) &&
         std::filesystem::is_regular_file(dir / kOwnedMarker, error);
}

void require_owned_or_absent(const std::filesystem::path& dir) {
  std::error_code error;
  const auto status = std::filesystem::symlink_status(dir, error);
  if (!std::filesystem::exists(status)) {
    return;
  }
  if (!is_owned_dir(dir)) {
    throw UsageError(dir.string() + " exists and was not made by plumb (no " + std::string(kOwnedMarker) +
                     "); plumb will not delete it: move it away or choose another --out");
  }
}

void prepare_owned_dir(const std::filesystem::path& dir, const std::filesystem::path& root) {
  if (!inside(dir, root)) {
    throw UsageError(dir.string() + " is not inside the report folder " + root.string());
  }
  require_owned_or_absent(dir);
  std::error_code error;
  std::filesystem::remove_all(dir, error);
  if (!error) {
    std::filesystem::create_directories(dir, error);
  }
  if (error) {
    throw InfrastructureError(dir.string() + ": cannot create the log folder: " + error.message());
  }
  mark_owned(dir);
}

void mark_owned(const std::filesystem::path& dir) {
  std::ofstream marker(dir / kOwnedMarker);
  marker << "made by plumb; plumb deletes this folder when it reruns the variant\n";
  if (!marker.flush()) {
    throw InfrastructureError((dir / kOwnedMarker).string() + ": cannot write");
  }
}

OutputLock::OutputLock(const std::filesystem::path& dir) : path_(dir / kLockFile) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    throw InfrastructureError(dir.string() + ": cannot create the output folder: " + error.message());
  }
  // The holder removes the file when it is done; a lock taken on a file that was just removed is
  // no lock at all, so after locking, the path must still name the locked file (else retry).
  for (int attempt = 0; attempt < 100; ++attempt) {
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
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
    if (::fstat(fd_, &held) == 0 && ::stat(path_.c_str(), &named) == 0 && held.st_ino == named.st_ino &&
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

#include "plumb/core/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include "plumb/core/errors.hpp"

namespace plumb::core {
namespace {

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what) {
  throw InfrastructureError(path.string() + ": " + what + ": " + std::strerror(errno));
}

void write_all(int fd, std::string_view content, const std::filesystem::path& path) {
  while (!content.empty()) {
    const ssize_t written = ::write(fd, content.data(), content.size());
    if (written < 0) {
      if (errno == EINTR) {
        continue;
      }
      fail(path, "cannot write");
    }
    content.remove_prefix(static_cast<std::size_t>(written));
  }
}

}  // namespace

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  write_files_together({FileContent{path, content}});
}

FileSet::~FileSet() {
  discard();
}

void FileSet::discard() noexcept {
  for (const std::string& temp : staged_) {
    ::unlink(temp.c_str());
  }
  staged_.clear();
  targets_.clear();
}

void FileSet::stage(const std::filesystem::path& path, std::string_view content) {
  // Everything that can run out of space happens here, before any target changes.
  std::string temp = path.string() + ".tmp.XXXXXX";
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) {
    fail(path, "cannot create a temporary file beside it");
  }
  staged_.push_back(temp);
  targets_.push_back(path);
  try {
    write_all(fd, content, temp);
    if (::fsync(fd) != 0) {
      fail(temp, "cannot flush");
    }
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::fchmod(fd, 0644);
  ::close(fd);
}

void FileSet::commit() {
  // 1. Keep the previous files under a second name (a hard link: no data written) until the new
  //    set is in place, so that a failed rename can restore them.
  std::vector<std::string> previous(targets_.size());
  for (std::size_t i = 0; i < targets_.size(); ++i) {
    const std::string kept = targets_[i].string() + ".plumb-previous";
    ::unlink(kept.c_str());
    if (::link(targets_[i].c_str(), kept.c_str()) == 0) {
      previous[i] = kept;
    }
  }
  // 2. Rename each staged file over its target.
  for (std::size_t i = 0; i < targets_.size(); ++i) {
    if (::rename(staged_[i].c_str(), targets_[i].c_str()) == 0) {
      continue;
    }
    const int rename_error = errno;
    for (std::size_t done = 0; done < i; ++done) {
      if (!previous[done].empty()) {
        ::rename(previous[done].c_str(), targets_[done].c_str());
      } else {
        ::unlink(targets_[done].c_str());
      }
    }
    for (std::size_t rest = i; rest < targets_.size(); ++rest) {
      ::unlink(staged_[rest].c_str());
      if (!previous[rest].empty()) {
        ::unlink(previous[rest].c_str());
      }
    }
    const std::filesystem::path failed = targets_[i];
    staged_.clear();  // each one renamed and undone above, or removed
    targets_.clear();
    errno = rename_error;
    fail(failed, "cannot rename the temporary file into place");
  }
  for (const std::string& kept : previous) {
    if (!kept.empty()) {
      ::unlink(kept.c_str());
    }
  }
  staged_.clear();
  targets_.clear();
}

void write_files_together(const std::vector<FileContent>& files) {
  FileSet set;
  for (const FileContent& file : files) {
    set.stage(file.path, file.content);
  }
  set.commit();
}

void ensure_writable_directory(const std::filesystem::path& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    throw InfrastructureError(dir.string() + ": cannot create the output folder: " + error.message());
  }
  // A fresh name (mkstemp: O_EXCL, so never an existing file or link) that nothing else uses.
  std::string probe = (dir / ".plumb-write-probe.XXXXXX").string();
  const int fd = ::mkstemp(probe.data());
  if (fd < 0) {
    fail(dir, "the output folder is not writable");
  }
  ::close(fd);
  ::unlink(probe.c_str());
}

}  // namespace plumb::core

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

void write_files_together(const std::vector<FileContent>& files) {
  std::vector<std::string> staged;
  auto discard_staged = [&staged] {
    for (const std::string& temp : staged) {
      ::unlink(temp.c_str());
    }
  };
  // 1. Stage: everything that can run out of space happens here, before any target changes.
  for (const FileContent& file : files) {
    std::string temp = file.path.string() + ".tmp.XXXXXX";
    const int fd = ::mkstemp(temp.data());
    if (fd < 0) {
      discard_staged();
      fail(file.path, "cannot create a temporary file beside it");
    }
    staged.push_back(temp);
    try {
      write_all(fd, file.content, temp);
      if (::fsync(fd) != 0) {
        fail(temp, "cannot flush");
      }
    } catch (...) {
      ::close(fd);
      discard_staged();
      throw;
    }
    ::fchmod(fd, 0644);
    ::close(fd);
  }
  // 2. Keep the previous files under a second name (a hard link: no data written) until the new
  //    set is in place, so that a failed rename can restore them.
  std::vector<std::string> previous(files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    const std::string kept = files[i].path.string() + ".plumb-previous";
    ::unlink(kept.c_str());
    if (::link(files[i].path.c_str(), kept.c_str()) == 0) {
      previous[i] = kept;
    }
  }
  // 3. Rename each staged file over its target.
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (::rename(staged[i].c_str(), files[i].path.c_str()) == 0) {
      continue;
    }
    const int rename_error = errno;
    for (std::size_t done = 0; done < i; ++done) {
      if (!previous[done].empty()) {
        ::rename(previous[done].c_str(), files[done].path.c_str());
      } else {
        ::unlink(files[done].path.c_str());
      }
    }
    for (std::size_t rest = i; rest < files.size(); ++rest) {
      ::unlink(staged[rest].c_str());
      if (!previous[rest].empty()) {
        ::unlink(previous[rest].c_str());
      }
    }
    errno = rename_error;
    fail(files[i].path, "cannot rename the temporary file into place");
  }
  for (const std::string& kept : previous) {
    if (!kept.empty()) {
      ::unlink(kept.c_str());
    }
  }
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

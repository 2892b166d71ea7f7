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
  std::string temp = path.string() + ".tmp.XXXXXX";
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) {
    fail(path, "cannot create a temporary file beside it");
  }
  try {
    write_all(fd, content, temp);
    if (::fsync(fd) != 0) {
      fail(temp, "cannot flush");
    }
  } catch (...) {
    ::close(fd);
    ::unlink(temp.c_str());
    throw;
  }
  ::fchmod(fd, 0644);
  ::close(fd);
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    ::unlink(temp.c_str());
    fail(path, "cannot rename the temporary file into place");
  }
}

void ensure_writable_directory(const std::filesystem::path& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    throw InfrastructureError(dir.string() + ": cannot create the output folder: " + error.message());
  }
  const std::filesystem::path probe = dir / ".plumb-write-probe";
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) {
    fail(dir, "the output folder is not writable");
  }
  ::close(fd);
  ::unlink(probe.c_str());
}

}  // namespace plumb::core

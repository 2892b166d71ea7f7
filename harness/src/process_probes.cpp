#include "plumb/harness/process_probes.hpp"

#include <dirent.h>
#include <unistd.h>

#include <cstdio>

namespace plumb::harness {

namespace {

// Entries of a /proc directory, "." and ".." excluded.
std::optional<std::uint64_t> count_entries(const char* path) {
  DIR* dir = opendir(path);
  if (dir == nullptr) return std::nullopt;
  std::uint64_t count = 0;
  while (const dirent* entry = readdir(dir)) {
    if (entry->d_name[0] == '.') continue;
    ++count;
  }
  closedir(dir);
  return count;
}

}  // namespace

std::optional<std::uint64_t> resident_bytes() {
  std::FILE* statm = std::fopen("/proc/self/statm", "r");
  if (statm == nullptr) return std::nullopt;
  unsigned long long size_pages = 0;
  unsigned long long resident_pages = 0;
  const int fields = std::fscanf(statm, "%llu %llu", &size_pages, &resident_pages);
  std::fclose(statm);
  if (fields != 2) return std::nullopt;
  return resident_pages * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
}

std::optional<std::uint64_t> thread_count() {
  return count_entries("/proc/self/task");
}

std::optional<std::uint64_t> open_fd_count() {
  const auto entries = count_entries("/proc/self/fd");
  if (!entries || *entries == 0) return entries;
  return *entries - 1;  // The descriptor opendir used to list the directory.
}

}  // namespace plumb::harness

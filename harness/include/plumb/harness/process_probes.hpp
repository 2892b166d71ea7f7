#pragma once

#include <cstdint>
#include <optional>

namespace plumb::harness {

// Resident set size in bytes, from /proc/self/statm; nullopt when unreadable.
std::optional<std::uint64_t> resident_bytes();

// Number of threads of this process (entries of /proc/self/task); nullopt when unreadable.
std::optional<std::uint64_t> thread_count();

// Number of open file descriptors (entries of /proc/self/fd, minus the one used to list it).
std::optional<std::uint64_t> open_fd_count();

}  // namespace plumb::harness

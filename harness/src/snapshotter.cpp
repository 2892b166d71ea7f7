#include "plumb/harness/snapshotter.hpp"

#include <valgrind/memcheck.h>
#include <valgrind/valgrind.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "sanitizer_detect.hpp"

#if SCAN_LEAK_ASAN
#include <sanitizer/lsan_interface.h>
#endif

namespace plumb::harness {

Snapshotter::Snapshotter(Runtime runtime, std::optional<std::filesystem::path> dir, bool enabled)
    : runtime_(runtime), dir_(std::move(dir)), enabled_(enabled) {
  if (dir_ && enabled_ && runtime_ == Runtime::Massif) std::filesystem::create_directories(*dir_);
}

std::optional<std::uint64_t> Snapshotter::take(std::uint64_t sequence) {
  if (!enabled_) return std::nullopt;
  switch (runtime_) {
    case Runtime::Memcheck: {
      // Reports only leaks that are new or grew since the previous search, so logs stay small.
      VALGRIND_DO_ADDED_LEAK_CHECK;
      unsigned long leaked = 0;
      unsigned long dubious = 0;
      unsigned long reachable = 0;
      unsigned long suppressed = 0;
      VALGRIND_COUNT_LEAKS(leaked, dubious, reachable, suppressed);
      return static_cast<std::uint64_t>(leaked) + dubious + reachable + suppressed;
    }
    case Runtime::Massif: {
      if (!dir_) return std::nullopt;
      char name[32];
      std::snprintf(name, sizeof name, "massif.%06llu.out", static_cast<unsigned long long>(sequence));
      const std::filesystem::path file = *dir_ / name;
      const std::string command = "detailed_snapshot " + file.string();
      // Returns non-zero when the tool does not know the command (e.g. it is not massif after all).
      if (VALGRIND_MONITOR_COMMAND(command.c_str()) != 0) return std::nullopt;
      ++files_written_;
      return massif_heap_bytes(file);
    }
    case Runtime::AddressSanitizer:
#if SCAN_LEAK_ASAN
      __lsan_do_recoverable_leak_check();
#endif
      return std::nullopt;
    case Runtime::Native:
    case Runtime::ThreadSanitizer:
    case Runtime::OtherValgrind:
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<std::uint64_t> massif_heap_bytes(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::optional<std::uint64_t> heap;
  std::string line;
  constexpr std::string_view kKey = "mem_heap_B=";
  while (std::getline(in, line)) {
    if (line.rfind(kKey, 0) == 0) heap = std::stoull(line.substr(kKey.size()));
  }
  return heap;
}

}  // namespace plumb::harness

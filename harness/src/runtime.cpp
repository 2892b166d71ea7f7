#include "plumb/harness/runtime.hpp"

#include <valgrind/valgrind.h>

#include <cstdlib>
#include <string_view>

#include "sanitizer_detect.hpp"

namespace plumb::harness {

std::string_view to_string(Runtime runtime) {
  switch (runtime) {
    case Runtime::Native:
      return "native";
    case Runtime::AddressSanitizer:
      return "asan";
    case Runtime::ThreadSanitizer:
      return "tsan";
    case Runtime::Memcheck:
      return "memcheck";
    case Runtime::Massif:
      return "massif";
    case Runtime::OtherValgrind:
      return "valgrind";
  }
  return "native";
}

bool running_on_valgrind() {
  return RUNNING_ON_VALGRIND != 0;
}

Runtime detect_runtime(ValgrindTool tool) {
  if (running_on_valgrind()) {
    if (tool == ValgrindTool::Memcheck) return Runtime::Memcheck;
    if (tool == ValgrindTool::Massif) return Runtime::Massif;
    // Each tool that replaces malloc preloads its own vgpreload_<tool>-<arch>.so.
    const char* preload = std::getenv("LD_PRELOAD");
    const std::string_view libraries = preload == nullptr ? "" : preload;
    if (libraries.find("vgpreload_memcheck") != std::string_view::npos) return Runtime::Memcheck;
    if (libraries.find("vgpreload_massif") != std::string_view::npos) return Runtime::Massif;
    return Runtime::OtherValgrind;
  }
  if (SCAN_LEAK_ASAN) return Runtime::AddressSanitizer;
  if (SCAN_LEAK_TSAN) return Runtime::ThreadSanitizer;
  return Runtime::Native;
}

}  // namespace plumb::harness

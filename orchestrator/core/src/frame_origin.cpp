#include "plumb/core/frame_origin.hpp"

#include <array>

namespace plumb::core {
namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// A name the standard library (or its ABI support) owns; read only when the tool gave no file.
bool is_standard_library_name(std::string_view name) {
  static constexpr std::array<std::string_view, 6> kPrefixes = {
      "std::", "__gnu_cxx::", "__cxxabiv1::", "__gnu_debug::", "__cxa_", "_GLOBAL__sub_I_"};
  for (const auto prefix : kPrefixes) {
    if (starts_with(name, prefix)) {
      return true;
    }
  }
  return false;
}

// A libstdc++ header named by its basename alone, as massif prints it ("stl_vector.h:378").
bool is_standard_header_basename(std::string_view name) {
  static constexpr std::array<std::string_view, 22> kHeaders = {
      "new_allocator.h",    "alloc_traits.h",  "allocator.h",
      "basic_string.h",     "char_traits.h",   "shared_ptr.h",
      "shared_ptr_base.h",  "unique_ptr.h",    "hashtable.h",
      "hashtable_policy.h", "std_function.h",  "move.h",
      "invoke.h",           "refwrap.h",       "ptr_traits.h",
      "std_thread.h",       "unordered_map.h", "unordered_set.h",
      "cow_string.h",       "fs_path.h",       "new",
      "memory_resource.h"};
  if (name.find('/') != std::string_view::npos) {
    return false;
  }
  if (starts_with(name, "stl_") || name.ends_with(".tcc")) {
    return true;
  }
  for (const auto header : kHeaders) {
    if (name == header) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool is_system_path(std::string_view path) {
  static constexpr std::array<std::string_view, 8> kPrefixes = {
      "/usr/include/", "/usr/lib/",           "/lib/",       "/lib64/",
      "/usr/lib64/",   "/usr/local/include/", "/usr/share/", "/usr/libexec/"};
  for (const auto prefix : kPrefixes) {
    if (starts_with(path, prefix)) {
      return true;
    }
  }
  // libstdc++'s headers however the tool spells their folder ("bits/stl_vector.h" relative to it,
  // or the bare basename massif prints), and the sanitizer runtimes' own sources as gcc's libasan
  // names them.
  return is_standard_header_basename(path) || contains(path, "/include/c++/") || starts_with(path, "bits/") ||
         starts_with(path, "ext/") || contains(path, "libsanitizer/");
}

bool is_library_frame(const Frame& frame) {
  const bool absolute_file = !frame.file.empty() && frame.file.front() == '/';
  if (absolute_file) {
    return is_system_path(frame.file);
  }
  // A relative file says little about whose code it is (glibc's debug information names
  // "./libio/iofopen.c"); a system library's object says it is library code.
  if (!frame.object.empty() && frame.object.front() == '/' && is_system_path(frame.object)) {
    return true;
  }
  if (!frame.file.empty()) {
    return is_system_path(frame.file);
  }
  return is_standard_library_name(frame.function);
}

}  // namespace plumb::core

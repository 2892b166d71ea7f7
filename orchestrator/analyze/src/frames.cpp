#include "plumb/analyze/frames.hpp"

#include <algorithm>
#include <array>

#include "plumb/core/frame_origin.hpp"

namespace plumb::analyze {
namespace {

// Where a runtime frame may be stripped: at the innermost end (allocation, interception),
// at the outermost end (process and thread start), or either (sanitizer/valgrind internals).
enum class RuntimeClass { User, Allocation, Start, Either };

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// Functions that allocate, free, lock or abort on behalf of their caller; the caller is the
// interesting frame (otherwise every abort or lock-order report would share one fingerprint).
constexpr std::array<std::string_view, 34> kAllocationFunctions = {"malloc",
                                                                   "calloc",
                                                                   "realloc",
                                                                   "reallocarray",
                                                                   "free",
                                                                   "memalign",
                                                                   "posix_memalign",
                                                                   "aligned_alloc",
                                                                   "valloc",
                                                                   "pvalloc",
                                                                   "strdup",
                                                                   "strndup",
                                                                   "operator new",
                                                                   "operator new[]",
                                                                   "operator delete",
                                                                   "operator delete[]",
                                                                   "pthread_create",
                                                                   "std::thread::_M_start_thread",
                                                                   "std::thread::thread",
                                                                   "sodium_malloc",
                                                                   "sodium_allocarray",
                                                                   "sodium_free",
                                                                   "abort",
                                                                   "raise",
                                                                   "gsignal",
                                                                   "pthread_kill",
                                                                   "__pthread_kill_implementation",
                                                                   "__pthread_kill_internal",
                                                                   "pthread_mutex_lock",
                                                                   "pthread_mutex_unlock",
                                                                   "__gthread_mutex_lock",
                                                                   "__gthread_mutex_unlock",
                                                                   "std::mutex::lock",
                                                                   "std::mutex::unlock"};

// Library templates that only forward an allocation (libstdc++ allocator plumbing).
constexpr std::array<std::string_view, 5> kAllocationPrefixes = {
    "__gnu_cxx::new_allocator<", "std::__new_allocator<", "std::allocator_traits<", "std::allocator<",
    "std::thread::thread<"};

// Sanitizer and valgrind runtime symbols, which can sit at either end of a stack.
constexpr std::array<std::string_view, 15> kRuntimePrefixes = {
    "__interceptor_", "___interceptor_", "__asan_",  "__tsan_",  "__sanitizer_",
    "__lsan_",        "__ubsan_",        "__asan::", "__tsan::", "__sanitizer::",
    "__lsan::",       "__ubsan::",       "__msan_",  "_vgr",     "vgPlain_"};

// Process and thread start code, found at the outermost end of a stack.
constexpr std::array<std::string_view, 10> kStartFunctions = {"__libc_start_main",
                                                              "__libc_start_main_impl",
                                                              "__libc_start_call_main",
                                                              "_start",
                                                              "start_thread",
                                                              "clone",
                                                              "clone3",
                                                              "execute_native_thread_routine",
                                                              "asan_thread_start",
                                                              "__start_thread"};

// std::thread plumbing between start_thread and the user's callable.
constexpr std::array<std::string_view, 5> kStartPrefixes = {"std::thread::_State_impl<",
                                                            "std::thread::_Invoker<", "std::__invoke_impl<",
                                                            "std::__invoke<", "std::__invoke_r<"};

// A name the tool printed for a frame it could not symbolize ("<null>", "???", empty).
bool is_unsymbolized(std::string_view name) {
  return name.empty() || name == "<null>" || name == "???" || name == "<unknown>";
}

// The last component of a path: "/usr/lib/libc.so.6" → "libc.so.6".
std::string_view basename_of(std::string_view path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// An unsymbolized frame in libc, libstdc++ or the loader carries no identity of its own: it is
// start code or allocator internals, whichever end it sits at.
bool is_unsymbolized_system_frame(std::string_view name, std::string_view object) {
  if (!is_unsymbolized(name)) {
    return false;
  }
  const auto base = basename_of(object);
  for (const std::string_view library :
       {"libc.so", "libc-", "libstdc++.so", "ld-linux", "libpthread", "libgcc_s"}) {
    if (starts_with(base, library)) {
      return true;
    }
  }
  return false;
}

RuntimeClass classify(const core::Frame& frame) {
  const std::string name = normalize_function(frame.function);
  if (is_unsymbolized_system_frame(name, frame.object)) {
    return RuntimeClass::Either;
  }
  // Valgrind's replacement functions live in its preload objects, whatever they are called.
  if (contains(frame.object, "vgpreload") || contains(name, "_replace_")) {
    return RuntimeClass::Allocation;
  }
  // glibc's internal aliases (`__GI_abort`, `__GI_raise`) are the same functions under another name.
  const std::string_view public_name = starts_with(name, "__GI_") ? std::string_view(name).substr(5) : name;
  if (std::find(kAllocationFunctions.begin(), kAllocationFunctions.end(), public_name) !=
      kAllocationFunctions.end()) {
    return RuntimeClass::Allocation;
  }
  for (const auto prefix : kAllocationPrefixes) {
    if (starts_with(name, prefix)) {
      return RuntimeClass::Allocation;
    }
  }
  for (const auto prefix : kRuntimePrefixes) {
    if (starts_with(name, prefix)) {
      return RuntimeClass::Either;
    }
  }
  if (std::find(kStartFunctions.begin(), kStartFunctions.end(), name) != kStartFunctions.end()) {
    return RuntimeClass::Start;
  }
  for (const auto prefix : kStartPrefixes) {
    if (starts_with(name, prefix)) {
      return RuntimeClass::Start;
    }
  }
  return RuntimeClass::User;
}

// Index of the bracket matching the ')' at `close`, scanning backwards; npos when unbalanced.
std::size_t matching_open(std::string_view text, std::size_t close) {
  int depth = 0;
  for (std::size_t i = close + 1; i-- > 0;) {
    if (text[i] == ')') {
      ++depth;
    } else if (text[i] == '(') {
      if (--depth == 0) {
        return i;
      }
    }
  }
  return std::string_view::npos;
}

void erase_all(std::string& text, std::string_view part) {
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at)) {
    text.erase(at, part.size());
  }
}

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

// Drops GCC clone suffixes (".constprop.0", ".isra.0", ".part.1", ".cold", ...) and their
// demangled spelling " [clone .constprop.0]".
void drop_clone_suffixes(std::string& name) {
  for (auto at = name.find(" [clone "); at != std::string::npos; at = name.find(" [clone ")) {
    const auto end = name.find(']', at);
    name.erase(at, end == std::string::npos ? std::string::npos : end - at + 1);
  }
  static constexpr std::array<std::string_view, 6> kClones = {".constprop", ".isra",     ".part",
                                                              ".cold",      ".lto_priv", ".localalias"};
  for (bool changed = true; changed;) {
    changed = false;
    for (const auto clone : kClones) {
      const auto at = name.rfind(clone);
      if (at == std::string::npos || at == 0) {
        continue;
      }
      // Only a suffix: the clone marker followed by nothing but ".<digits>" groups.
      const auto rest = std::string_view(name).substr(at + clone.size());
      const bool only_digits =
          std::all_of(rest.begin(), rest.end(), [](char c) { return c == '.' || (c >= '0' && c <= '9'); });
      if (only_digits) {
        name.erase(at);
        changed = true;
      }
    }
  }
}

// A function template's demangled name starts with its return type ("void f<int>"); drop it.
void drop_template_return_type(std::string& name) {
  if (name.empty() || name.back() != '>' || name.ends_with("operator>") || name.ends_with("operator->") ||
      name.ends_with("operator>>") || name.ends_with("operator>=")) {
    return;
  }
  int depth = 0;
  for (std::size_t i = name.size(); i-- > 0;) {
    const char c = name[i];
    if (c == '>' || c == ')') {
      ++depth;
    } else if (c == '<' || c == '(') {
      --depth;
    } else if (c == ' ' && depth == 0) {
      const auto head = std::string_view(name).substr(0, i);
      // "operator new<...>" style names keep their space.
      if (!head.ends_with("operator")) {
        name.erase(0, i + 1);
      }
      return;
    }
  }
}

// [begin, end) of the frames from the first non-runtime frame on, the outermost run of start-up
// frames left out (see user_frames).
std::pair<std::size_t, std::size_t> user_range(const std::vector<core::Frame>& frames) {
  std::size_t begin = 0;
  while (begin < frames.size()) {
    const auto kind = classify(frames[begin]);
    if (kind != RuntimeClass::Allocation && kind != RuntimeClass::Either) {
      break;
    }
    ++begin;
  }
  std::size_t end = frames.size();
  while (end > begin) {
    const auto kind = classify(frames[end - 1]);
    if (kind != RuntimeClass::Start && kind != RuntimeClass::Either) {
      break;
    }
    --end;
  }
  return {begin, end};
}

}  // namespace

std::string normalize_function(std::string_view function) {
  std::string_view view = trim(function);
  // "0x4af01b in malloc" (a raw sanitizer line) → "malloc".
  if (starts_with(view, "0x")) {
    const auto in = view.find(" in ");
    if (in != std::string_view::npos) {
      view = trim(view.substr(in + 4));
    }
  }
  std::string name(view);
  // Symbol versions: "pthread_create@@GLIBC_2.34", "memcpy@GLIBC_2.2.5".
  if (const auto at = name.find('@'); at != std::string::npos && at > 0) {
    name.erase(at);
  }
  erase_all(name, "[abi:cxx11]");
  drop_clone_suffixes(name);
  // Trailing qualifiers of a member function, then its parameter list.
  for (bool changed = true; changed;) {
    changed = false;
    for (const std::string_view qualifier : {" const", " volatile", " &&", " &", " noexcept"}) {
      if (name.size() > qualifier.size() && name.ends_with(qualifier)) {
        name.erase(name.size() - qualifier.size());
        changed = true;
      }
    }
  }
  if (!name.empty() && name.back() == ')') {
    const auto open = matching_open(name, name.size() - 1);
    const auto before = std::string_view(name).substr(0, open == std::string::npos ? 0 : open);
    // "(anonymous namespace)" alone, or "operator()" without parameters, is not a parameter list.
    if (open != std::string::npos && open > 0 && !before.ends_with("::") && !before.ends_with("operator")) {
      name.erase(open);
    }
  }
  drop_template_return_type(name);
  return std::string(trim(name));
}

std::string canonical_function(std::string_view function) {
  const std::string name = normalize_function(function);
  // Template arguments go: <...> at any depth, but not the "<" of operator<, operator<<, ...
  std::string plain;
  int depth = 0;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool in_operator =
        std::string_view(plain).ends_with("operator") || std::string_view(plain).ends_with("operator<") ||
        std::string_view(plain).ends_with("operator>") || std::string_view(plain).ends_with("operator-");
    if (c == '<' && !in_operator) {
      ++depth;
      continue;
    }
    if (c == '>' && depth > 0) {
      --depth;
      continue;
    }
    if (depth == 0) {
      plain += c;
    }
  }
  // The last scope component, outside brackets: "a::b::{lambda(int)#1}::operator()" → "operator()".
  std::size_t last = 0;
  int nesting = 0;
  for (std::size_t i = 0; i + 1 < plain.size(); ++i) {
    const char c = plain[i];
    if (c == '(' || c == '{' || c == '[') {
      ++nesting;
    } else if ((c == ')' || c == '}' || c == ']') && nesting > 0) {
      --nesting;
    } else if (nesting == 0 && c == ':' && plain[i + 1] == ':') {
      last = i + 2;
      ++i;
    }
  }
  std::string result = std::string(trim(std::string_view(plain).substr(last)));
  return result.empty() ? name : result;
}

std::string frame_identity(const core::Frame& frame) {
  const std::string name = canonical_function(frame.function);
  if (!is_unsymbolized(name)) {
    return frame.file.empty() ? name : name + "@" + std::string(basename_of(frame.file));
  }
  if (!frame.file.empty()) {
    return std::string(basename_of(frame.file)) + ":" + std::to_string(frame.line);
  }
  return "?" + std::string(basename_of(frame.object));
}

std::vector<const core::Frame*> identity_frames(const std::vector<core::Frame>& frames) {
  auto [begin, end] = user_range(frames);
  if (begin == end) {
    begin = 0;
    end = frames.size();
  }
  // A frame the tool could name nothing of (an address alone: no function, file or object) says
  // neither whose code it is nor which bug: it is never part of an identity.
  const auto blank = [](const core::Frame& frame) {
    return frame.function.empty() && frame.file.empty() && frame.object.empty();
  };
  std::vector<const core::Frame*> chosen;
  for (std::size_t i = begin; i < end; ++i) {
    if (!blank(frames[i]) && !core::is_library_frame(frames[i])) {
      chosen.push_back(&frames[i]);
    }
  }
  if (chosen.empty()) {  // Only library code: it is all there is to tell findings apart.
    for (std::size_t i = begin; i < end; ++i) {
      if (!blank(frames[i])) {
        chosen.push_back(&frames[i]);
      }
    }
  }
  // Recursion: a run of one identity counts once.
  std::vector<const core::Frame*> collapsed;
  for (const core::Frame* frame : chosen) {
    if (collapsed.empty() || frame_identity(*collapsed.back()) != frame_identity(*frame)) {
      collapsed.push_back(frame);
    }
  }
  return collapsed;
}

void mark_library_frames(core::Finding& finding) {
  for (auto& frame : finding.frames) {
    frame.library = core::is_library_frame(frame);
  }
  for (auto& stack : finding.related_stacks) {
    for (auto& frame : stack) {
      frame.library = core::is_library_frame(frame);
    }
  }
}

bool is_runtime_frame(const core::Frame& frame) {
  return classify(frame) != RuntimeClass::User;
}

std::vector<core::Frame> user_frames(const std::vector<core::Frame>& frames) {
  const auto [begin, end] = user_range(frames);
  return {frames.begin() + static_cast<std::ptrdiff_t>(begin),
          frames.begin() + static_cast<std::ptrdiff_t>(end)};
}

}  // namespace plumb::analyze

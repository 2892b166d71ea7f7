#include "plumb/analyze/classify.hpp"

#include <array>
#include <utility>

#include "plumb/analyze/frames.hpp"

namespace plumb::analyze {
namespace {

using core::Access;
using core::ErrorClass;

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// A memcheck access error by where the address is: next to a live block, inside a freed one, on
// a stack, or nowhere.
ErrorClass memcheck_access_class(std::string_view address) {
  if (contains(address, "not stack'd")) {
    return ErrorClass::WildAccess;  // "is not stack'd, malloc'd or (recently) free'd".
  }
  if (contains(address, "free'd")) {
    // Inside a freed block is a use after free; just outside it, the freed block's red zone.
    return contains(address, " inside a block") ? ErrorClass::HeapUseAfterFree : ErrorClass::HeapBufferOverflow;
  }
  if (contains(address, "alloc'd")) {
    return ErrorClass::HeapBufferOverflow;  // Before, after, or straddling the end of a live block.
  }
  if (contains(address, "stack")) {
    return contains(address, "below stack pointer") ? ErrorClass::StackUseAfterReturn
                                                    : ErrorClass::StackBufferOverflow;
  }
  if (contains(address, "global var") || contains(address, "data symbol")) {
    return ErrorClass::GlobalBufferOverflow;
  }
  return ErrorClass::Unclassified;
}

ErrorClass memcheck_class(const core::Finding& finding) {
  const std::string_view kind = finding.detail;
  if (kind == "InvalidRead" || kind == "InvalidWrite") {
    return memcheck_access_class(finding.address);
  }
  if (kind == "InvalidFree") {
    if (contains(finding.address, "free'd") && !contains(finding.address, "not stack'd")) {
      return ErrorClass::DoubleFree;
    }
    return ErrorClass::InvalidFree;  // Not a block, or not its start.
  }
  if (kind == "MismatchedFree") {
    return ErrorClass::MismatchedFree;
  }
  if (kind == "UninitCondition" || kind == "UninitValue") {
    return ErrorClass::UninitialisedValue;
  }
  if (kind == "SyscallParam") {
    if (contains(finding.message, "uninitialised")) {
      return ErrorClass::UninitialisedValue;
    }
    return contains(finding.message, "unaddressable") ? memcheck_access_class(finding.address)
                                                      : ErrorClass::Unclassified;
  }
  if (kind == "Overlap") {
    return ErrorClass::ParamOverlap;
  }
  return ErrorClass::Unclassified;  // InvalidJump, FishyValue, ClientCheck, InvalidMemPool, ...
}

// The sanitizers' bug types, as their report header spells them.
constexpr std::array<std::pair<std::string_view, ErrorClass>, 17> kSanitizerTypes{{
    {"heap-buffer-overflow", ErrorClass::HeapBufferOverflow},
    {"stack-buffer-overflow", ErrorClass::StackBufferOverflow},
    {"stack-buffer-underflow", ErrorClass::StackBufferOverflow},
    {"dynamic-stack-buffer-overflow", ErrorClass::StackBufferOverflow},
    {"global-buffer-overflow", ErrorClass::GlobalBufferOverflow},
    {"container-overflow", ErrorClass::ContainerOverflow},
    {"heap-use-after-free", ErrorClass::HeapUseAfterFree},
    {"stack-use-after-return", ErrorClass::StackUseAfterReturn},
    {"stack-use-after-scope", ErrorClass::StackUseAfterScope},
    {"attempting double-free", ErrorClass::DoubleFree},
    {"attempting free on address which was not malloc()-ed", ErrorClass::InvalidFree},
    {"bad-free", ErrorClass::InvalidFree},
    {"alloc-dealloc-mismatch", ErrorClass::MismatchedFree},
    {"new-delete-type-mismatch", ErrorClass::MismatchedFree},
    {"use-of-uninitialized-value", ErrorClass::UninitialisedValue},
    {"wild-addr", ErrorClass::WildAccess},
    {"unknown-crash", ErrorClass::Unclassified},
}};

ErrorClass sanitizer_class(const core::Finding& finding) {
  // The header: "heap-use-after-free on address 0x..", "attempting double-free on 0x.. in thread T0".
  const std::string_view header = finding.message;
  for (const auto& [type, error_class] : kSanitizerTypes) {
    if (starts_with(header, type) && (header.size() == type.size() || header[type.size()] == ' ' ||
                                      header[type.size()] == ':')) {
      return error_class;
    }
  }
  // memcpy-param-overlap, strcpy-param-overlap, ...
  std::string_view type = header.substr(0, header.find(' '));
  if (type.ends_with(':')) {
    type.remove_suffix(1);
  }
  if (type.ends_with("-param-overlap")) {
    return ErrorClass::ParamOverlap;
  }
  return ErrorClass::Unclassified;
}

// One spelling per allocator, whatever the tool called its frame.
constexpr std::array<std::pair<std::string_view, std::string_view>, 19> kAllocators{{
    {"malloc", "malloc"},
    {"calloc", "calloc"},
    {"realloc", "realloc"},
    {"reallocarray", "reallocarray"},
    {"memalign", "memalign"},
    {"posix_memalign", "posix_memalign"},
    {"aligned_alloc", "aligned_alloc"},
    {"valloc", "valloc"},
    {"pvalloc", "pvalloc"},
    {"strdup", "strdup"},
    {"__strdup", "strdup"},
    {"strndup", "strndup"},
    {"__strndup", "strndup"},
    {"operator new", "new"},
    {"operator new[]", "new[]"},
    {"sodium_malloc", "sodium_malloc"},
    {"sodium_allocarray", "sodium_allocarray"},
    {"__libc_malloc", "malloc"},
    {"__libc_calloc", "calloc"},
}};

std::string_view allocator_name(std::string_view function) {
  std::string_view name = function;
  for (const std::string_view prefix : {"___interceptor_", "__interceptor_", "__GI_"}) {
    if (starts_with(name, prefix)) {
      name.remove_prefix(prefix.size());
    }
  }
  for (const auto& [spelling, canonical] : kAllocators) {
    if (name == spelling) {
      return canonical;
    }
  }
  return {};
}

}  // namespace

ErrorClass error_class_of(const core::Finding& finding) {
  if (finding.kind != core::FindingKind::MemoryError) {
    return ErrorClass::None;
  }
  // Valgrind's tools speak in <kind> names and "Address .." descriptions; the sanitizers in bug types.
  const bool valgrind = !finding.tools.empty() && core::spec_of(finding.tools.front()).valgrind;
  return valgrind ? memcheck_class(finding) : sanitizer_class(finding);
}

Access access_of(const core::Finding& finding) {
  if (finding.kind != core::FindingKind::MemoryError) {
    return Access::None;
  }
  const std::string_view message = finding.message;
  // memcheck: "Invalid read of size 4"; the sanitizers: "..: READ of size 4 at 0x.. thread T0".
  if (contains(message, "Invalid read") || contains(message, "READ of size")) {
    return Access::Read;
  }
  if (contains(message, "Invalid write") || contains(message, "WRITE of size")) {
    return Access::Write;
  }
  return Access::None;
}

std::string allocator_of(const std::vector<core::Frame>& frames) {
  std::string_view found;
  for (const core::Frame& frame : frames) {
    if (!is_runtime_frame(frame)) {
      break;
    }
    const std::string name = normalize_function(frame.function);
    if (const auto canonical = allocator_name(name); !canonical.empty()) {
      found = canonical;  // The outermost allocator wins: strdup over the malloc it calls.
    }
  }
  return std::string(found);
}

bool is_allocation_label(std::string_view label) {
  return (contains(label, "alloc'd") && !contains(label, "free'd")) || contains(label, "allocated by") ||
         contains(label, "created by a heap allocation") || contains(label, "created by a stack allocation");
}

bool is_previous_access_label(std::string_view label) {
  return contains(label, "Previous ") || contains(label, "previous read") || contains(label, "previous write");
}

void classify(core::Finding& finding) {
  finding.error_class = error_class_of(finding);
  finding.access = access_of(finding);
  switch (finding.kind) {
    case core::FindingKind::LeakDefinite:
    case core::FindingKind::LeakIndirect:
    case core::FindingKind::LeakPossible:
    case core::FindingKind::LeakReachable:
      finding.allocator = allocator_of(finding.frames);
      return;
    case core::FindingKind::MemoryError:
    case core::FindingKind::Race:
      for (std::size_t i = 0; i < finding.related_stacks.size(); ++i) {
        if (i + 1 < finding.stack_labels.size() && is_allocation_label(finding.stack_labels[i + 1])) {
          finding.allocator = allocator_of(finding.related_stacks[i]);
          return;
        }
      }
      return;
    default:
      return;
  }
}

}  // namespace plumb::analyze

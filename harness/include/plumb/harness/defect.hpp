#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace plumb::harness {

// The planted defects `--inject` can switch on; None is the clean harness.
enum class Defect {
  None,
  LeakDirect,
  LeakIndirect,
  LeakPerIteration,
  ListenerAccumulation,
  CacheUnbounded,
  ClosureHoldsInput,
  ThreadUnjoined,
  Race,
};

// One `--inject NAME[=ARG]` choice.
struct Injection {
  Defect defect = Defect::None;
  std::size_t bytes = 0;  // leak-per-iter's BYTES; 0 otherwise.

  // The spelling written back into the samples file, e.g. "leak-per-iter=64" or "none".
  std::string to_string() const;
};

// The `--inject` name of a defect ("leak-direct", ...; "none" for None).
std::string_view defect_name(Defect defect);

// Parses "NAME" or "NAME=ARG"; nullopt with `error` set when the name or argument is invalid.
std::optional<Injection> parse_injection(std::string_view text, std::string& error);

// Every injectable name, comma-separated, for help and error messages.
std::string injection_names();

}  // namespace plumb::harness

#include "plumb/harness/defect.hpp"

#include <array>
#include <charconv>
#include <utility>

namespace plumb::harness {

namespace {

constexpr std::array<std::pair<Defect, std::string_view>, 9> kNames{{
    {Defect::None, "none"},
    {Defect::LeakDirect, "leak-direct"},
    {Defect::LeakIndirect, "leak-indirect"},
    {Defect::LeakPerIteration, "leak-per-iter"},
    {Defect::ListenerAccumulation, "listener-accumulation"},
    {Defect::CacheUnbounded, "cache-unbounded"},
    {Defect::ClosureHoldsInput, "closure-holds-input"},
    {Defect::ThreadUnjoined, "thread-unjoined"},
    {Defect::Race, "race"},
}};

// Largest leak-per-iter argument accepted (1 MiB per iteration is already an outage).
constexpr std::size_t kMaxLeakBytes = 1u << 20;

}  // namespace

std::string_view defect_name(Defect defect) {
  for (const auto& [value, name] : kNames) {
    if (value == defect) return name;
  }
  return "none";
}

std::string Injection::to_string() const {
  std::string text(defect_name(defect));
  if (defect == Defect::LeakPerIteration) text += "=" + std::to_string(bytes);
  return text;
}

std::string injection_names() {
  std::string names;
  for (const auto& [value, name] : kNames) {
    if (!names.empty()) names += ", ";
    names += name;
    if (value == Defect::LeakPerIteration) names += "=BYTES";
  }
  return names;
}

std::optional<Injection> parse_injection(std::string_view text, std::string& error) {
  const std::size_t equals = text.find('=');
  const std::string_view name = text.substr(0, equals);
  const bool has_argument = equals != std::string_view::npos;
  const std::string_view argument = has_argument ? text.substr(equals + 1) : std::string_view();
  for (const auto& [value, known] : kNames) {
    if (known != name) continue;
    Injection injection{value, 0};
    if (value != Defect::LeakPerIteration) {
      if (has_argument) {
        error = "--inject " + std::string(name) + " takes no argument";
        return std::nullopt;
      }
      return injection;
    }
    if (argument.empty()) {
      error = "--inject leak-per-iter needs a size: leak-per-iter=BYTES";
      return std::nullopt;
    }
    const char* end = argument.data() + argument.size();
    const auto [ptr, ec] = std::from_chars(argument.data(), end, injection.bytes);
    if (ec != std::errc() || ptr != end || injection.bytes == 0 || injection.bytes > kMaxLeakBytes) {
      error = "--inject leak-per-iter=BYTES needs 1 <= BYTES <= " + std::to_string(kMaxLeakBytes) +
              ", got '" + std::string(argument) + "'";
      return std::nullopt;
    }
    return injection;
  }
  error = "--inject: unknown defect '" + std::string(name) + "' (known: " + injection_names() + ")";
  return std::nullopt;
}

}  // namespace plumb::harness

#include "plumb/run/runtime_check.hpp"

#include "plumb/core/tools.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <optional>
#include <string>

#include "plumb/core/errors.hpp"

namespace plumb::run {
namespace {

bool is_elf(std::ifstream& file) {
  std::array<char, 4> magic{};
  file.read(magic.data(), magic.size());
  file.seekg(0);
  return file.gcount() == 4 && magic == std::array<char, 4>{'\x7f', 'E', 'L', 'F'};
}

// Scans in blocks, keeping the last symbol.size() - 1 bytes so a match across blocks is seen.
bool contains(std::ifstream& file, std::string_view symbol) {
  std::string window;
  std::string block(1 << 16, '\0');
  while (file) {
    file.read(block.data(), static_cast<std::streamsize>(block.size()));
    window.append(block.data(), static_cast<std::size_t>(file.gcount()));
    if (window.find(symbol) != std::string::npos) {
      return true;
    }
    const std::size_t keep = std::min(window.size(), symbol.size() - 1);
    window.erase(0, window.size() - keep);
  }
  return false;
}

// The runtime `tool` needs and the build that gives it, for the refusal of a program without it.
std::string sanitizer_name(core::Tool tool) {
  const std::string name(core::spec_of(tool).runtime_name);
  switch (tool) {
    case core::Tool::Asan:
      return name + " (-fsanitize=address, the asan preset)";
    case core::Tool::Tsan:
      return name + " (-fsanitize=thread, the tsan preset)";
    case core::Tool::Memcheck:  // No runtime symbol: require_runtime checks nothing for them.
    case core::Tool::Massif:
    case core::Tool::Native:
    case core::Tool::Doctor:
      break;
  }
  return std::string(core::name_of(tool));
}

}  // namespace

std::string_view runtime_symbol(core::Tool tool) {
  return core::spec_of(tool).runtime_symbol;
}

void require_runtime(const std::filesystem::path& program, std::string_view symbol, core::Tool tool) {
  if (symbol.empty()) {
    return;
  }
  std::ifstream file(program, std::ios::binary);
  if (!file || !is_elf(file)) {
    return;
  }
  if (!contains(file, symbol)) {
    throw core::InfrastructureError(program.string() + ": not built with " +
                                    std::string(sanitizer_name(tool)) + ": it has no " + std::string(symbol) +
                                    ", so --tool " + std::string(core::name_of(tool)) +
                                    " could never report anything");
  }
}

void require_runtime(const std::vector<std::filesystem::path>& programs, std::string_view symbol,
                     core::Tool tool) {
  std::optional<core::InfrastructureError> first;
  for (const std::filesystem::path& program : programs) {
    try {
      require_runtime(program, symbol, tool);
      return;
    } catch (const core::InfrastructureError& refused) {
      if (!first) {
        first = refused;
      }
    }
  }
  if (first) {
    throw core::InfrastructureError(std::string(first->what()) + " (the program the test's wrapper runs)");
  }
}

}  // namespace plumb::run

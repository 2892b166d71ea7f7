#include "plumb/doctor/inject_hazard.hpp"

#include <elf.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <string_view>

namespace plumb::doctor {
namespace {

// What heaptrack_inject.cpp rewrites in every loaded module's relocations.
constexpr std::string_view kHooked[] = {"malloc",     "free",        "realloc",    "calloc",
                                        "cfree",      "posix_memalign", "dlopen",  "dlclose",
                                        "mi_malloc",  "mi_free",     "mi_realloc", "mi_calloc",
                                        "GC_malloc",  "GC_free_profiler_hook", "GC_realloc",
                                        "GC_posix_memalign"};

// `count` records of T at `offset` of `in` (a file of `size` bytes); empty when the file is shorter.
template <typename T>
std::vector<T> read_records(std::ifstream& in, std::uint64_t size, std::uint64_t offset, std::uint64_t count) {
  if (offset > size || count > (size - offset) / sizeof(T)) {
    return {};  // A header that claims more than the file holds: nothing to read.
  }
  std::vector<T> records(count);
  in.seekg(static_cast<std::streamoff>(offset));
  in.read(reinterpret_cast<char*>(records.data()), static_cast<std::streamsize>(count * sizeof(T)));
  if (!in) {
    in.clear();
    return {};
  }
  return records;
}

}  // namespace

std::vector<std::string> canonical_plt_hooks(const std::filesystem::path& program) {
  std::ifstream in(program, std::ios::binary | std::ios::ate);
  const std::streamoff end = in.tellg();
  const std::uint64_t size = end > 0 ? static_cast<std::uint64_t>(end) : 0;
  const auto header = read_records<Elf64_Ehdr>(in, size, 0, 1);
  if (header.empty() || std::string_view(reinterpret_cast<const char*>(header[0].e_ident), SELFMAG) != ELFMAG ||
      header[0].e_ident[EI_CLASS] != ELFCLASS64 || header[0].e_shoff == 0 ||
      header[0].e_shentsize != sizeof(Elf64_Shdr)) {
    return {};
  }
  const auto sections = read_records<Elf64_Shdr>(in, size, header[0].e_shoff, header[0].e_shnum);
  std::vector<std::string> found;
  for (const Elf64_Shdr& section : sections) {
    if (section.sh_type != SHT_DYNSYM || section.sh_entsize != sizeof(Elf64_Sym) || section.sh_link >= sections.size()) {
      continue;
    }
    const Elf64_Shdr& strings = sections[section.sh_link];
    const auto names = read_records<char>(in, size, strings.sh_offset, strings.sh_size);
    for (const Elf64_Sym& symbol : read_records<Elf64_Sym>(in, size, section.sh_offset, section.sh_size / sizeof(Elf64_Sym))) {
      if (symbol.st_shndx != SHN_UNDEF || symbol.st_value == 0 || symbol.st_name >= names.size()) {
        continue;
      }
      const std::string_view name(names.data() + symbol.st_name,
                                  std::find(names.begin() + symbol.st_name, names.end(), '\0') -
                                      (names.begin() + symbol.st_name));
      if (std::find(std::begin(kHooked), std::end(kHooked), name) != std::end(kHooked) &&
          std::find(found.begin(), found.end(), name) == found.end()) {
        found.emplace_back(name);
      }
    }
  }
  // In the order heaptrack lists them, whatever the symbol table's.
  const auto rank = [](const std::string& name) { return std::find(std::begin(kHooked), std::end(kHooked), name); };
  std::sort(found.begin(), found.end(), [&](const auto& a, const auto& b) { return rank(a) < rank(b); });
  return found;
}

}  // namespace plumb::doctor

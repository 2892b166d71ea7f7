// doctor::canonical_plt_hooks: which programs heaptrack's inject library would crash, read from
// their ELF files.
#include "plumb/doctor/inject_hazard.hpp"

#include <gtest/gtest.h>

#include <elf.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <iterator>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace plumb::doctor {
namespace {

// A non-PIE program that takes malloc's and free's addresses names both.
TEST(InjectHazard, ANonPieProgramTakingMallocsAddressHasCanonicalPltHooks) {
  EXPECT_EQ(canonical_plt_hooks(PLUMB_DOCTOR_CHILD_CANONICAL_PLT), (std::vector<std::string>{"malloc", "free"}));
}

// An ordinary (position-independent) program that calls malloc, and a static one, name none.
TEST(InjectHazard, OrdinaryAndStaticProgramsHaveNone) {
  EXPECT_TRUE(canonical_plt_hooks(PLUMB_DOCTOR_CHILD_SITE_MIX).empty());
  EXPECT_TRUE(canonical_plt_hooks(PLUMB_DOCTOR_CHILD_STATIC).empty());
}

// What cannot be read as an ELF file says nothing.
TEST(InjectHazard, AFileThatIsNotAnElfProgramSaysNothing) {
  EXPECT_TRUE(canonical_plt_hooks(PLUMB_DOCTOR_GOLDEN_DIR).empty());
  EXPECT_TRUE(canonical_plt_hooks("/no/such/program").empty());
  EXPECT_TRUE(canonical_plt_hooks(__FILE__).empty());
}

// A cut ELF file (its header names section headers past its end) says nothing, and reads nothing
// past the end.
TEST(InjectHazard, ACutElfFileSaysNothing) {
  std::ifstream whole(PLUMB_DOCTOR_CHILD_CANONICAL_PLT, std::ios::binary);
  std::string head(4096, '\0');
  whole.read(head.data(), static_cast<std::streamsize>(head.size()));
  const std::filesystem::path cut = std::filesystem::temp_directory_path() /
                                    ("plumb-inject-hazard-" + std::to_string(::getpid()));
  std::ofstream(cut, std::ios::binary).write(head.data(), whole.gcount());
  EXPECT_TRUE(canonical_plt_hooks(cut).empty());
  std::filesystem::remove(cut);
}

// A section header that claims more bytes than the file holds (a corrupt or hostile file) is not
// read: no allocation of what it claims, no symbol, no exception.
TEST(InjectHazard, ASectionLargerThanItsFileIsNotRead) {
  std::ifstream whole(PLUMB_DOCTOR_CHILD_CANONICAL_PLT, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(whole)), std::istreambuf_iterator<char>());
  Elf64_Ehdr header;
  std::memcpy(&header, bytes.data(), sizeof header);
  bool patched = false;
  for (std::size_t i = 0; i < header.e_shnum; ++i) {
    Elf64_Shdr section;
    char* at = bytes.data() + header.e_shoff + i * sizeof section;
    std::memcpy(&section, at, sizeof section);
    if (section.sh_type == SHT_DYNSYM) {
      section.sh_size = std::uint64_t{1} << 62;
      std::memcpy(at, &section, sizeof section);
      patched = true;
    }
  }
  ASSERT_TRUE(patched);
  const std::filesystem::path file = std::filesystem::temp_directory_path() /
                                     ("plumb-inject-hazard-big-" + std::to_string(::getpid()));
  std::ofstream(file, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  EXPECT_TRUE(canonical_plt_hooks(file).empty());
  std::filesystem::remove(file);
}

}  // namespace
}  // namespace plumb::doctor

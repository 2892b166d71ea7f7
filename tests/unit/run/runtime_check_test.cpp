// The sanitizer-runtime check: an uninstrumented ELF program is refused under asan/tsan, an
// instrumented one and anything that is not ELF (a wrapper script) are let through.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "plumb/core/errors.hpp"
#include "plumb/run/runtime_check.hpp"

namespace plumb::run {
namespace {

class RuntimeCheck : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("plumb-runtime-check-" + std::to_string(::getpid()) + "-" +
            testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // An ELF-magic file of `size` bytes with `text` written at `offset`.
  std::filesystem::path elf(const std::string& name, std::size_t size, std::size_t offset,
                            const std::string& text) {
    std::string bytes(size, '\0');
    bytes.replace(0, 4,
                  "\x7f"
                  "ELF");
    bytes.replace(offset, text.size(), text);
    const std::filesystem::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  std::filesystem::path dir_;
};

TEST_F(RuntimeCheck, SymbolsPerTool) {
  EXPECT_EQ(runtime_symbol(core::Tool::Asan), "__asan_init");
  EXPECT_EQ(runtime_symbol(core::Tool::Tsan), "__tsan_init");
  EXPECT_EQ(runtime_symbol(core::Tool::Memcheck), "");
  EXPECT_EQ(runtime_symbol(core::Tool::Native), "");
}

TEST_F(RuntimeCheck, InstrumentedProgramPasses) {
  EXPECT_NO_THROW(require_runtime(elf("asan", 4096, 100, "__asan_init"), "__asan_init", core::Tool::Asan));
}

TEST_F(RuntimeCheck, SymbolAcrossTheScanBlockBoundaryIsFound) {
  // The check reads 64 KiB blocks; put the symbol astride the first boundary.
  const std::filesystem::path program = elf("straddle", 200000, 65536 - 5, "__tsan_init");
  EXPECT_NO_THROW(require_runtime(program, "__tsan_init", core::Tool::Tsan));
}

TEST_F(RuntimeCheck, UninstrumentedElfIsRefusedWithTheReason) {
  const std::filesystem::path program = elf("plain", 100000, 500, "__tsan_init");
  try {
    require_runtime(program, "__asan_init", core::Tool::Asan);
    FAIL() << "an ELF without __asan_init must be refused under asan";
  } catch (const core::InfrastructureError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find(program.string()), std::string::npos) << message;
    EXPECT_NE(message.find("AddressSanitizer"), std::string::npos) << message;
    EXPECT_NE(message.find("__asan_init"), std::string::npos) << message;
  }
}

TEST_F(RuntimeCheck, ScriptsAndToolsWithoutARuntimeAreNotJudged) {
  const std::filesystem::path script = dir_ / "wrapper.sh";
  std::ofstream(script) << "#!/bin/sh\nexec ./instrumented \"$@\"\n";
  EXPECT_NO_THROW(require_runtime(script, "__asan_init", core::Tool::Asan));
  EXPECT_NO_THROW(require_runtime(elf("plain", 4096, 10, "main"), "", core::Tool::Memcheck));
}

}  // namespace
}  // namespace plumb::run

// The libFuzzer entry of every fuzz_<name> executable: the executable's own name picks the target,
// so one object file serves them all.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "fuzz_entries.hpp"

namespace {

const plumb::fuzz::Target* g_target = nullptr;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  std::string_view name = *argc > 0 ? (*argv)[0] : "";
  name = name.substr(name.find_last_of('/') + 1);
  if (name.substr(0, 5) == "fuzz_") {
    g_target = plumb::fuzz::find_target(name.substr(5));
  }
  if (g_target == nullptr) {
    std::fprintf(stderr, "%.*s: not a fuzz target name (expected fuzz_<target>)\n",
                 static_cast<int>(name.size()), name.data());
    std::exit(2);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  g_target->entry(plumb::fuzz::Bytes(data, size));
  return 0;
}

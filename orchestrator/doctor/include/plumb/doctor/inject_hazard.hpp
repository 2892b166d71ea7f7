// Whether loading heaptrack into a running program would kill it, read from the program's ELF
// before gdb touches the process.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace plumb::doctor {

// The functions heaptrack's inject library hooks (heaptrack 1.4: the allocator, dlopen/dlclose,
// mimalloc's; 1.5 adds the Boehm collector's) that `program` defines as canonical PLT entries: a
// non-PIE program that takes their address exports its own PLT stub as "malloc" (an undefined
// dynamic symbol with a value). Every lookup of malloc's address in that process then yields the
// stub, the inject library's hook calls "the original" through it, the stub jumps through the GOT
// slot the hook was just written into, and the hook calls itself until the stack overflows
// (`heaptrack -p` on Debian 12's python3 or node: SIGSEGV). In heaptrack's order (malloc, free, ...).
// Empty for any other program, and when
// the file cannot be read as a 64-bit ELF with section headers (nothing can be said then).
std::vector<std::string> canonical_plt_hooks(const std::filesystem::path& program);

}  // namespace plumb::doctor

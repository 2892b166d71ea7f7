// Calling functions inside a running process through gdb without deadlocking it: the call runs in a
// thread that holds none of the locks the called code takes (heaptrack's and the allocator's). A
// thread stopped inside heaptrack (say blocked writing a full pipe while holding heaptrack's lock)
// would wait on itself forever if the call ran there; such a thread is first let run out of heaptrack.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace plumb::doctor {

// How a call through gdb went, read from the script's own lines in gdb's output.
enum class GdbCallResult {
  Called,        // The commands ran, in a thread outside heaptrack and the allocator.
  NoSafeThread,  // Every thread was inside heaptrack or the allocator: nothing was called; try again later.
  NoPython,      // This gdb runs no Python scripts: the caller may call in gdb's default thread instead.
  Unknown,       // The script did not report (gdb failed first, or was killed).
};

// The Python script for `gdb -x` that picks a thread as above, runs `commands` (gdb commands, in
// order) in it, says in its output which thread it used, and detaches.
std::string gdb_call_script(const std::vector<std::string>& commands);

// What the script reported in gdb's standard output and error `output`.
GdbCallResult gdb_call_result(std::string_view output);

}  // namespace plumb::doctor

// The real process runner: Boost.Process v2, each child leading its own process group.
#pragma once

#include <memory>

#include "plumb/run/process.hpp"

namespace plumb::run {

// A runner that forks and execs real programs (stdin from /dev/null, stdout/stderr to files).
std::unique_ptr<ProcessRunner> make_system_runner();

}  // namespace plumb::run

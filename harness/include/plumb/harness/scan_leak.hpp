#pragma once

#include <ostream>

#include "plumb/harness/options.hpp"

namespace plumb::harness {

// Exit codes of scan_leak.
inline constexpr int kExitClean = 0;
inline constexpr int kExitGrowth = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitInfrastructure = 3;  // the scanner returned wrong results, a file failed, ...

// Runs the whole harness: dataset, loop, sampling, snapshots, verdict. Progress and the
// human-readable table go to `out`, whose last line is the JSON summary; returns the exit code.
int run_scan_leak(const Options& options, std::ostream& out, std::ostream& err);

}  // namespace plumb::harness

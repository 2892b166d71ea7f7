// `perf script` output (samples recorded with -g) to folded stacks.
#pragma once

#include <istream>
#include <string>

#include "plumb/profile/folded.hpp"

namespace plumb::profile {

// How to fold perf samples.
struct PerfFoldOptions {
  bool include_command = true;  // Put the sampled thread's command name as the outermost frame.
  bool include_kernel = true;   // Keep [kernel.kallsyms] frames.
};

// Folds `perf script` text: each sample (a header line, then frames innermost first, then a blank
// line) adds 1 to its stack. Throws core::UsageError naming `source`:line on a frame line with no
// sample header before it.
FoldedProfile fold_perf_script(std::istream& in, const std::string& source, const PerfFoldOptions& options = {});

}  // namespace plumb::profile

// The harness's samples: JSON lines written by scan_leak (meta, sample..., summary).
#pragma once

#include <istream>

#include "plumb/core/parse_result.hpp"

namespace plumb::parse {

// One growth series per metric with the harness's own fit and verdict; a failing series also
// becomes a finding (heap/rss/cache_bytes: heap.growth, fds: fd.leak, threads: thread.leak).
core::ParseResult parse_samples(std::istream& in);

}  // namespace plumb::parse

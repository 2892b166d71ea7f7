// A finding's identity: stable across tools, runs, line edits, addresses and paths.
#pragma once

#include <cstddef>
#include <string>

#include "plumb/core/model.hpp"

namespace plumb::analyze {

// How many normalized user frames the fingerprint covers (Mozilla mozleak's choice).
inline constexpr std::size_t kFingerprintFrames = 4;

// 16 hex digits of FNV-1a 64 over the kind and the top kFingerprintFrames normalized user
// function names; for heap.growth, over the kind, the metric (detail) and the site functions.
std::string fingerprint(const core::Finding& finding);

}  // namespace plumb::analyze

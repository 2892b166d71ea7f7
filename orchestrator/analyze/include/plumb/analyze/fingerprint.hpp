// A finding's identity: stable across tools, compilers, runs, line edits, addresses and paths
// (the model is written down in docs/ARCHITECTURE.md, "Identity").
#pragma once

#include <cstddef>
#include <string>

#include "plumb/core/model.hpp"

namespace plumb::analyze {

// The version of the identity rules below; reports and baselines carry it, and a baseline of
// another version is refused rather than matched against fingerprints it was not made with.
inline constexpr int kIdentityVersion = 2;

// How many identity frames a leak's (or race's, thread's, fd's) fingerprint covers: who
// allocated it matters, so the callers of an allocation wrapper are part of it (Mozilla
// mozleak's choice of four).
inline constexpr std::size_t kFingerprintFrames = 4;

// How many identity frames identify a finding of `kind`: one for memory.error, ub and crash (the
// defect is where the access happens, whoever called it: a recursive free function reached
// from many callers is one finding), kFingerprintFrames for the rest.
std::size_t identity_depth(core::FindingKind kind);

// 16 hex digits of FNV-1a 64 over the kind, then: for heap.growth the metric (detail); for ub the
// check (detail); then the first identity_depth(kind) identity frames (frames.hpp) of the stack.
std::string fingerprint(const core::Finding& finding);

// The site a finding is "at": the identity of its innermost identity frame, e.g.
// "make_cycle@cxx_sites.cpp"; empty when the finding has no frame at all.
std::string site_of(const core::Finding& finding);

}  // namespace plumb::analyze

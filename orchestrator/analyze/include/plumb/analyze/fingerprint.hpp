// A finding's identity: stable across tools, compilers, runs, line edits, addresses and paths
// (the model is written down in docs/ARCHITECTURE.md, "Identity").
#pragma once

#include <cstddef>
#include <string>

#include "plumb/core/model.hpp"

namespace plumb::analyze {

// The version of the identity rules below; reports and baselines carry it, and a baseline of
// another version is refused rather than matched against fingerprints it was not made with.
inline constexpr int kIdentityVersion = 4;

// How many identity frames a leak's (or race's, thread's, fd's) fingerprint covers: who
// allocated it matters, so the callers of an allocation wrapper are part of it (Mozilla
// mozleak's choice of four).
inline constexpr std::size_t kFingerprintFrames = 4;

// How many identity frames identify a finding of `kind`: one for memory.error, ub and crash (the
// defect is where the access happens, whoever called it: a recursive free function reached
// from many callers is one finding), kFingerprintFrames for the rest.
std::size_t identity_depth(core::FindingKind kind);

// The name identity gives a kind: "leak" for all four leak kinds (memcheck moves a block between
// definitely, indirectly and possibly lost without it becoming another bug), else the kind's own.
std::string_view identity_family(core::FindingKind kind);

// 16 hex digits of FNV-1a 64 over the family, then by family:
// - memory.error: the error class and access (the tool's own type when unclassified), the site,
//   and the location (the allocation site of the block touched);
// - race: the two access sites, unordered, and the location (the variable, or the heap block's
//   allocation site and offset);
// - leak: the allocator, the site (with its call rank), then the next identity frames up to
//   kFingerprintFrames;
// - growth (heap.growth, and thread.leak and fd.leak of a series): the metric, then the frames;
// - ub: the check, then the frame; the rest: the first identity_depth(kind) identity frames.
// `site` and `location` must be set (identity.hpp assign_identity does both).
std::string fingerprint(const core::Finding& finding);

// The site a finding is "at": the identity of its innermost identity frame, e.g.
// "make_cycle@cxx_sites.cpp"; empty when the finding has no frame at all.
std::string site_of(const core::Finding& finding);

}  // namespace plumb::analyze

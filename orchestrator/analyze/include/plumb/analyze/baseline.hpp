// The baseline: fingerprints of findings a project has accepted, failing only on new ones.
#pragma once

#include <filesystem>
#include <istream>
#include <set>
#include <string>

#include "plumb/core/model.hpp"

namespace plumb::analyze {

// The schema identifier of baseline.json; it also carries "identity", the version of the
// fingerprint rules its entries were made with (fingerprint.hpp kIdentityVersion).
inline constexpr std::string_view kBaselineSchema = "plumb.baseline/2";

// The previous schema: fingerprints of identity version 1.
inline constexpr std::string_view kBaselineSchemaV1 = "plumb.baseline/1";

// The accepted fingerprints.
struct Baseline {
  std::set<std::string> fingerprints;
};

// Parses baseline JSON (an object with "fingerprints", entries either strings or objects with a
// "fingerprint" member, or a bare list of either); throws core::UsageError "source:line: problem".
// Fingerprints made with other identity rules (schema 1, a bare list, another "identity") are
// refused with what to run, never matched: an empty one of them is accepted, it matches nothing.
Baseline parse_baseline(std::istream& in, const std::string& source_name);

// Reads a baseline file; a missing file is the empty baseline.
Baseline load_baseline(const std::filesystem::path& path);

// baseline.json accepting every new and baseline finding of `report` (suppressed ones are not
// needed), sorted by fingerprint, one entry per fingerprint, with its kind and site; throws
// core::UsageError when the report's fingerprints are of another identity version.
std::string render_baseline(const core::Report& report);

}  // namespace plumb::analyze

// The baseline: fingerprints of findings a project has accepted, failing only on new ones.
#pragma once

#include <filesystem>
#include <istream>
#include <set>
#include <string>

#include "plumb/core/model.hpp"

namespace plumb::analyze {

// The schema identifier of baseline.json.
inline constexpr std::string_view kBaselineSchema = "plumb.baseline/1";

// The accepted fingerprints.
struct Baseline {
  std::set<std::string> fingerprints;
};

// Parses baseline JSON (an object with "fingerprints", entries either strings or objects with a
// "fingerprint" member, or a bare list of either); throws core::UsageError "source:line: problem".
Baseline parse_baseline(std::istream& in, const std::string& source_name);

// Reads a baseline file; a missing file is the empty baseline.
Baseline load_baseline(const std::filesystem::path& path);

// baseline.json accepting every new and baseline finding of `report` (suppressed ones are not
// needed), sorted by fingerprint, one entry per fingerprint, with its kind and top frame.
std::string render_baseline(const core::Report& report);

}  // namespace plumb::analyze

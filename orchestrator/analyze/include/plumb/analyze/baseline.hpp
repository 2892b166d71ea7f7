// The baseline: fingerprints of findings a project has accepted, failing only on new ones.
#pragma once

#include <filesystem>
#include <cstdint>
#include <istream>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "plumb/core/model.hpp"

namespace plumb::analyze {

// The schema identifier of baseline.json; it also carries "identity", the version of the
// fingerprint rules its entries were made with (fingerprint.hpp kIdentityVersion).
inline constexpr std::string_view kBaselineSchema = "plumb.baseline/2";

// The previous schema: fingerprints of identity version 1.
inline constexpr std::string_view kBaselineSchemaV1 = "plumb.baseline/1";

// What one entry accepted of a leak: its bytes and blocks (each kind at its identity added up,
// each the largest one source saw) and, where the run had several tests or variants, each one's
// own bytes. An entry without an amount (a bare fingerprint) accepts any amount.
struct AcceptedAmount {
  std::uint64_t bytes = 0;
  std::uint64_t blocks = 0;
  std::map<std::string, std::uint64_t> bytes_by_variant;
};

// How far past its accepted amount a baselined leak may go before it gates as grown: the larger of
// a byte count and a share of the accepted bytes ([gate] baseline_tolerance_bytes and _percent).
struct BaselineTolerance {
  std::uint64_t bytes = 0;
  double percent = 10.0;
};

// The accepted fingerprints, and what each accepted.
struct Baseline {
  std::set<std::string> fingerprints;
  std::map<std::string, AcceptedAmount> amounts;  // Only entries that record "bytes".
};

// Parses baseline JSON (an object with "fingerprints", entries either strings or objects with a
// "fingerprint" member and optionally "bytes", "blocks" and "variants" {name: bytes}, or a bare
// list of either), in time linear in its size; a key given twice in one object or a fingerprint
// listed twice is an error; throws core::UsageError "source:line: problem".
// Fingerprints made with other identity rules (schema 1, a bare list, another "identity") are
// refused with what to run, never matched: an empty one of them is accepted, it matches nothing.
Baseline parse_baseline(std::istream& in, const std::string& source_name);

// Reads a baseline file; a missing file is the empty baseline.
Baseline load_baseline(const std::filesystem::path& path);

// baseline.json accepting every new and baseline finding of `report` (suppressed ones are not
// needed), sorted by fingerprint, one entry per fingerprint, with its kind and site and, for leaks,
// the amount it accepts (leak_amount); throws core::UsageError when the report's fingerprints are
// of another identity version.
std::string render_baseline(const core::Report& report);

// What the leaks of `report` with `fingerprint` amount to, as a baseline entry records it.
AcceptedAmount leak_amount(const core::Report& report, const std::string& fingerprint);

// A leak that grew past what its entry accepted: from the accepted bytes to the bytes seen.
struct Growth {
  std::uint64_t from = 0;
  std::uint64_t to = 0;
};

// Whether `amount` exceeds `accepted` by more than `tolerance`: the total, and each variant held to
// its own accepted bytes (a variant the entry does not name, to the entry's total); nullopt: within.
std::optional<Growth> grown(const AcceptedAmount& accepted, const AcceptedAmount& amount,
                            const BaselineTolerance& tolerance);

}  // namespace plumb::analyze

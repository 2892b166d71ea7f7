// From parsed variant outcomes to the final report: strip, fingerprint, dedup, suppress, gate.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "plumb/analyze/baseline.hpp"
#include "plumb/analyze/cap.hpp"
#include "plumb/analyze/gate.hpp"
#include "plumb/analyze/suppressions.hpp"
#include "plumb/core/model.hpp"
#include "plumb/core/outcome.hpp"

namespace plumb::analyze {

// Everything analysis needs besides the outcomes.
struct AnalysisInputs {
  SuppressionSet suppressions;
  Baseline baseline;
  BaselineTolerance tolerance;  // How far a baselined leak may grow before it gates.
  GatePolicy policy = default_gate_policy();
  std::string today;                  // YYYY-MM-DD, for suppression expiry; empty means nothing expires.
  std::string generated_at;           // The report's timestamp (ISO-8601 UTC); empty: now. Tests fix it.
  std::string run_id;                 // The report set's id; empty: a fresh random one. Tests fix it.
  std::filesystem::path source_root;  // Absolute; source paths inside it are made relative. Empty: none.
  std::size_t max_findings_per_kind = kDefaultMaxFindingsPerKind;  // 0: list every finding.
  std::string plumb_version;  // The plumb making the report, named by every file; tests fix it.
  std::string digest;         // Of the files these inputs come from (config, suppressions, baseline);
                              // shards analysed with other inputs do not merge.
};

// The report of one run: variants with statuses fixed up from their logs, findings with user
// frames, fingerprints, cross-tool dedup, suppression/baseline status, growth, and the gate.
core::Report analyze(std::vector<core::VariantOutcome> outcomes, const AnalysisInputs& inputs);

// Today's date in UTC as YYYY-MM-DD.
std::string today_utc();

}  // namespace plumb::analyze

// plumb run's work, shared with plumb repro --run.
#pragma once

#include <string>
#include <vector>

namespace plumb::cli {

// The options of plumb run.
struct RunOptions {
  std::string tier;                   // Empty: the config's default tier (core::default_tier).
  std::vector<std::string> variants;  // Empty: every variant with the tier.
  std::string out;                    // Empty: the config's project.report_dir.
  int jobs = 2;
  std::string config;
  bool build = true;
  std::string test;  // Non-empty: of the one CTest variant selected, only the test of this name.
  std::string exclude_test;  // Non-empty: CTest tests whose name matches are left out (added to ctest -E).
  std::string label;         // Non-empty: only CTest tests with a label matching it (ctest -L, instead of the config's).
  std::string shard;         // Non-empty: "K/N", run only shard K of N of the plan.
  std::string timings;       // Non-empty: an earlier report.json whose durations balance the shards.
};

// Builds, runs, analyzes and reports the selected variants; returns the exit code.
int run_configured_variants(const RunOptions& options);

}  // namespace plumb::cli

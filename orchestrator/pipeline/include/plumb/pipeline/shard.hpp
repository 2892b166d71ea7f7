// Sharding: plumb run --shard K/N runs a deterministic part of the plan, and plumb merge of the N
// shard reports analyses every run again as one unsharded run would.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plumb/analyze/analyze.hpp"
#include "plumb/core/errors.hpp"
#include "plumb/core/model.hpp"
#include "plumb/core/outcome.hpp"

namespace plumb::pipeline {

// Which shard to run: K of N, K from 1.
struct ShardSpec {
  int index = 1;
  int count = 1;
};

// "K/N" read as a shard; K = 0, K > N, N = 0 or anything else than two numbers is a core::UsageError.
ShardSpec parse_shard(std::string_view text);

// What plumb run --shard asks of the pipeline.
struct ShardRequest {
  ShardSpec spec;
  std::map<std::string, double> timings;  // A run's name → its seconds in an earlier report; empty: by count.
  std::string timings_run_id;             // The earlier report's run id, recorded as the balance.
};

// The durations of an earlier report (--timings): each run's name → seconds. A file that cannot
// be read or is not a report is a core::UsageError.
ShardRequest read_timings(const std::filesystem::path& report, ShardSpec spec);

// Planned runs that go to one shard together: a fixture's setups, the tests requiring it and its cleanups.
struct ShardUnit {
  std::string name;                     // Its first run's name: ties are broken by it.
  std::vector<std::size_t> positions;   // Its runs' places in the plan.
  double weight = 0;                    // Seconds (from timings), or its number of runs.
};

// The shard (0-based) of each unit: heaviest first onto the least-loaded shard, ties broken by
// name, then by the lower shard; the same units always give the same answer.
std::vector<int> assign_units(const std::vector<ShardUnit>& units, int count);

// Each unit's weight from `request`: the sum of its runs' seconds in the timings (a run they do
// not name counts as their mean), or, without timings, its number of runs.
void weigh_units(std::vector<ShardUnit>& units, const std::vector<std::string>& plan,
                 const ShardRequest& request);

// The plan's digest, over every planned run's name in order and the analysis inputs' digest.
std::string plan_digest(const std::vector<std::string>& plan, const std::string& inputs_digest);

// An outcome as a shard records it (its logs named, not their parse) at `position` in the plan.
core::RecordedRun record_outcome(const core::VariantOutcome& outcome, std::size_t position);

// A report given to plumb merge (a shard's, or a whole run's) and the folder it was read from
// (a shard's logs are below it).
struct MergeInput {
  core::Report report;
  std::filesystem::path folder;
  std::string source;  // How the user named it, for messages.
};

// The N shards of one plan analysed together, as the unsharded run: every recorded run in plan
// order, its logs parsed again from its shard's folder, with `inputs`, links made relative to
// `out_dir`. Throws core::ShardMismatch when a shard is missing, given twice, or of another plan, N,
// balance or analysis inputs, or when the shards do not run every planned run exactly once.
core::Report merge_shards(std::vector<MergeInput> shards, const analyze::AnalysisInputs& inputs,
                          const std::filesystem::path& out_dir);

// plumb merge: the shards of each plan merged as merge_shards does (one plan: exactly its
// unsharded report), then with the whole reports of a CI matrix (analyze::merge_reports). Shards
// are grouped by plan; a plan whose shards are not all there is a core::ShardMismatch.
core::Report merge_reports(std::vector<MergeInput> given, const analyze::AnalysisInputs& inputs,
                           const std::filesystem::path& out_dir);

}  // namespace plumb::pipeline

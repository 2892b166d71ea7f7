// Sharding a plan, and merging the shards back into the report of one run.
#include "plumb/pipeline/shard.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <numeric>
#include <set>

#include "plumb/analyze/gate.hpp"
#include "plumb/analyze/merge.hpp"
#include "plumb/core/errors.hpp"
#include "plumb/core/report_json.hpp"
#include "plumb/core/run_id.hpp"
#include "plumb/pipeline/pipeline.hpp"

namespace plumb::pipeline {
namespace {

std::optional<int> number(std::string_view text) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

std::string shard_name(const core::ShardRecord& shard) {
  return std::to_string(shard.index) + "/" + std::to_string(shard.count);
}

// A log path as the merged report links it: relative to `out_dir` when the shard's log is
// relative to its own folder; an absolute path stays.
std::string relinked(const std::string& log, const std::filesystem::path& folder,
                     const std::filesystem::path& out_dir) {
  const std::filesystem::path path(log);
  if (path.is_absolute()) {
    return log;
  }
  const std::filesystem::path relative = (folder / path).lexically_normal().lexically_relative(out_dir);
  return relative.empty() ? (folder / path).string() : relative.string();
}

// The shards as one plan: one N, one plan, one balance, each K once; throws core::ShardMismatch otherwise.
void check_one_plan(const std::vector<MergeInput>& shards) {
  const core::ShardRecord& first = *shards.front().report.shard;
  std::vector<const MergeInput*> by_index(static_cast<std::size_t>(first.count), nullptr);
  for (const MergeInput& input : shards) {
    const core::ShardRecord& shard = *input.report.shard;
    if (shard.count != first.count) {
      throw core::ShardMismatch("merge: " + shards.front().source + " is shard " + shard_name(first) + " but " +
                          input.source + " is shard " + shard_name(shard) +
                          ": the shards of one plan share one N");
    }
    if (shard.plan != first.plan) {
      std::size_t same = 0;
      while (same < shard.plan.size() && same < first.plan.size() && shard.plan[same] == first.plan[same]) {
        ++same;
      }
      const std::string differs =
          same < first.plan.size() ? "'" + first.plan[same] + "'"
                                   : "'" + shard.plan[same] + "'";
      throw core::ShardMismatch("merge: " + shards.front().source + " and " + input.source +
                          " come from different plans (" + std::to_string(first.plan.size()) + " and " +
                          std::to_string(shard.plan.size()) + " planned runs; they differ at " + differs +
                          "): shard one plan, from one commit and one configuration");
    }
    if (shard.plan_digest != first.plan_digest) {
      throw core::ShardMismatch("merge: " + shards.front().source + " and " + input.source +
                          " were analysed with different plumb.toml, suppressions or baseline files");
    }
    if (shard.balance != first.balance || shard.timings_run_id != first.timings_run_id) {
      const auto balance = [](const core::ShardRecord& record) {
        return record.balance == core::ShardBalance::Count ? std::string("count")
                                                           : "the durations of run " + record.timings_run_id;
      };
      throw core::ShardMismatch("merge: " + shards.front().source + " was balanced by " + balance(first) + " but " +
                                input.source + " by " + balance(shard) +
                                ": give every shard the same --timings, or none");
    }
    if (shard.index < 1 || shard.index > shard.count) {
      throw core::ShardMismatch("merge: " + input.source + " says it is shard " + shard_name(shard) +
                          ", which no plan of " + std::to_string(shard.count) + " shards has");
    }
    const MergeInput*& slot = by_index.at(static_cast<std::size_t>(shard.index - 1));
    if (slot != nullptr) {
      throw core::ShardMismatch("merge: shard " + shard_name(shard) + " appears twice (" + slot->source + " and " +
                          input.source + ")");
    }
    slot = &input;
  }
  std::string missing;
  for (std::size_t k = 0; k < by_index.size(); ++k) {
    if (by_index[k] == nullptr) {
      missing += (missing.empty() ? "" : ", ") + std::to_string(k + 1) + "/" + std::to_string(first.count);
    }
  }
  if (!missing.empty()) {
    throw core::ShardMismatch("merge: shard " + missing + " is missing (" + std::to_string(shards.size()) + " of " +
                        std::to_string(first.count) +
                        " given): a merge never judges part of a plan; give every shard's report");
  }
}

}  // namespace

ShardSpec parse_shard(std::string_view text) {
  const auto slash = text.find('/');
  const std::optional<int> index = slash == std::string_view::npos ? std::nullopt : number(text.substr(0, slash));
  const std::optional<int> count =
      slash == std::string_view::npos ? std::nullopt : number(text.substr(slash + 1));
  const std::string given(text);
  if (!index || !count) {
    throw core::UsageError("--shard " + given + ": expected K/N, shard K of N (e.g. 2/5)");
  }
  if (*count < 1) {
    throw core::UsageError("--shard " + given + ": N must be at least 1");
  }
  if (*index < 1 || *index > *count) {
    throw core::UsageError("--shard " + given + ": K counts from 1 to N (" + std::to_string(*count) + ")");
  }
  return ShardSpec{*index, *count};
}

ShardRequest read_timings(const std::filesystem::path& report_path, ShardSpec spec) {
  std::ifstream in(report_path, std::ios::binary);
  if (!in) {
    throw core::UsageError(core::located_message(report_path.string(), 0, "--timings: cannot read the report"));
  }
  const core::Report earlier = core::read_report(in, report_path.string());
  ShardRequest request;
  request.spec = spec;
  request.timings_run_id = earlier.run_id;
  for (const core::VariantResult& variant : earlier.variants) {
    request.timings[variant.name] = variant.duration_s;
  }
  return request;
}

std::vector<int> assign_units(const std::vector<ShardUnit>& units, int count) {
  std::vector<std::size_t> order(units.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (units[a].weight != units[b].weight) {
      return units[a].weight > units[b].weight;
    }
    return units[a].name < units[b].name;
  });
  std::vector<double> load(static_cast<std::size_t>(count), 0.0);
  std::vector<int> shard(units.size(), 0);
  for (const std::size_t unit : order) {
    const auto lightest = std::min_element(load.begin(), load.end());  // the first of equals
    shard[unit] = static_cast<int>(lightest - load.begin());
    *lightest += units[unit].weight;
  }
  return shard;
}

void weigh_units(std::vector<ShardUnit>& units, const std::vector<std::string>& plan,
                 const ShardRequest& request) {
  if (request.timings.empty()) {
    for (ShardUnit& unit : units) {
      unit.weight = static_cast<double>(unit.positions.size());
    }
    return;
  }
  double known = 0;
  std::size_t named = 0;
  for (const std::string& name : plan) {
    if (const auto it = request.timings.find(name); it != request.timings.end()) {
      known += it->second;
      ++named;
    }
  }
  const double unknown = named == 0 ? 1.0 : known / static_cast<double>(named);
  for (ShardUnit& unit : units) {
    unit.weight = 0;
    for (const std::size_t position : unit.positions) {
      const auto it = request.timings.find(plan.at(position));
      unit.weight += it == request.timings.end() ? unknown : it->second;
    }
  }
}

std::string plan_digest(const std::vector<std::string>& plan, const std::string& inputs_digest) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  const auto add = [&hash](std::string_view text) {
    for (const char c : text) {
      hash ^= static_cast<unsigned char>(c);
      hash *= 0x100000001b3ULL;
    }
    hash ^= 0xffU;  // a separator no name holds
    hash *= 0x100000001b3ULL;
  };
  for (const std::string& name : plan) {
    add(name);
  }
  add(inputs_digest);
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

core::RecordedRun record_outcome(const core::VariantOutcome& outcome, std::size_t position) {
  core::RecordedRun run;
  run.position = position;
  run.result = outcome.result;
  for (const core::ParsedLog& log : outcome.logs) {
    run.logs.push_back(core::RecordedLog{log.path, log.format, log.foreign});
  }
  run.expects_output = outcome.expects_output;
  run.signal = outcome.signal;
  run.exit_code_only = outcome.exit_code_only;
  run.killed_by_plumb = outcome.killed_by_plumb;
  run.errors = outcome.errors;
  return run;
}

core::Report merge_shards(std::vector<MergeInput> shards, const analyze::AnalysisInputs& inputs,
                          const std::filesystem::path& out_dir) {
  if (shards.empty()) {
    throw core::UsageError("merge: no report given");
  }
  for (const MergeInput& input : shards) {
    if (!input.report.shard) {
      throw core::UsageError("merge: " + input.source + " is not a shard (it was made without --shard)");
    }
  }
  check_one_plan(shards);
  const core::ShardRecord& first = *shards.front().report.shard;
  if (plan_digest(first.plan, inputs.digest) != first.plan_digest) {
    throw core::ShardMismatch(
        "merge: the shards were analysed with other plumb.toml, suppressions or baseline files than this "
        "merge reads: run plumb merge where the shards ran, with the same --config");
  }
  // Every planned run exactly once, in plan order.
  std::vector<std::optional<core::VariantOutcome>> outcomes(first.plan.size());
  std::vector<std::string> ran_by(first.plan.size());
  for (const MergeInput& input : shards) {
    const core::ShardRecord& shard = *input.report.shard;
    for (const core::RecordedRun& run : shard.runs) {
      if (run.position >= first.plan.size() || first.plan[run.position] != run.result.name) {
        throw core::ShardMismatch("merge: " + input.source + " records a run '" + run.result.name +
                            "' that is not in its plan at that place");
      }
      if (outcomes[run.position]) {
        throw core::ShardMismatch("merge: planned run '" + run.result.name + "' ran in shard " + ran_by[run.position] +
                            " and in shard " + shard_name(shard) +
                            ": the shards were not cut from one plan the same way");
      }
      ran_by[run.position] = shard_name(shard);
      core::VariantOutcome outcome;
      outcome.result = run.result;
      for (std::string& log : outcome.result.logs) {
        log = relinked(log, input.folder, out_dir);
      }
      for (const core::RecordedLog& log : run.logs) {
        const std::filesystem::path file =
            std::filesystem::path(log.path).is_absolute() ? std::filesystem::path(log.path) : input.folder / log.path;
        if (!log.format) {
          throw core::ShardMismatch("merge: " + input.source + " records a log " + log.path +
                                    " of run '" + run.result.name + "' without its parser");
        }
        core::ParsedLog parsed = parse_log_file(file, log.path, *log.format);
        parsed.foreign = log.foreign;
        outcome.logs.push_back(std::move(parsed));
      }
      outcome.expects_output = run.expects_output;
      outcome.signal = run.signal;
      outcome.exit_code_only = run.exit_code_only;
      outcome.killed_by_plumb = run.killed_by_plumb;
      outcome.errors = run.errors;
      outcomes[run.position] = std::move(outcome);
    }
  }
  std::vector<core::VariantOutcome> ordered;
  for (std::size_t position = 0; position < outcomes.size(); ++position) {
    if (!outcomes[position]) {
      throw core::ShardMismatch("merge: planned run '" + first.plan[position] +
                          "' ran in no shard: the shards were not cut from one plan the same way");
    }
    ordered.push_back(std::move(*outcomes[position]));
  }
  analyze::AnalysisInputs merged_inputs = inputs;
  if (!first.source_root.empty()) {
    merged_inputs.source_root = first.source_root;  // where the shards' logs name sources
  }
  std::vector<std::string> ids;
  std::string generated_at;
  for (const MergeInput& input : shards) {
    ids.push_back(input.report.run_id);
    generated_at = std::max(generated_at, input.report.generated_at);
  }
  merged_inputs.run_id = core::derived_run_id(ids);
  merged_inputs.generated_at = generated_at;
  core::Report report = analyze::analyze(std::move(ordered), merged_inputs);
  // What kept a shard from being judged as a whole (a stop request) keeps the merge from it too.
  std::set<std::string> seen;
  for (const MergeInput& input : shards) {
    for (const std::string& error : input.report.errors) {
      if (seen.insert(error).second) {
        report.errors.push_back(error);
      }
    }
  }
  if (!report.errors.empty()) {
    analyze::apply_gate(report, merged_inputs.policy);
  }
  return report;
}

core::Report merge_reports(std::vector<MergeInput> given, const analyze::AnalysisInputs& inputs,
                           const std::filesystem::path& out_dir) {
  std::vector<std::vector<MergeInput>> plans;  // shards, by plan, in the order given
  std::vector<core::Report> whole;
  for (MergeInput& input : given) {
    if (!input.report.shard) {
      whole.push_back(std::move(input.report));
      continue;
    }
    const auto same_plan = std::find_if(plans.begin(), plans.end(), [&](const std::vector<MergeInput>& plan) {
      return plan.front().report.shard->plan == input.report.shard->plan;
    });
    if (same_plan == plans.end()) {
      plans.push_back({std::move(input)});
    } else {
      same_plan->push_back(std::move(input));
    }
  }
  if (plans.size() == 1 && whole.empty()) {
    return merge_shards(std::move(plans.front()), inputs, out_dir);  // exactly the unsharded run's report
  }
  if (plans.size() > 1) {
    // Shards of several plans (a matrix of tools x shards): each plan whole, or no merge.
    std::string incomplete;
    for (const auto& plan : plans) {
      const core::ShardRecord& shard = *plan.front().report.shard;
      std::set<int> given_indexes;
      for (const MergeInput& input : plan) {
        given_indexes.insert(input.report.shard->index);
      }
      if (static_cast<int>(given_indexes.size()) != shard.count || static_cast<int>(plan.size()) != shard.count) {
        incomplete += (incomplete.empty() ? "" : "; ") + std::string("the plan of ") +
                      std::to_string(shard.plan.size()) + " runs from '" +
                      (shard.plan.empty() ? std::string() : shard.plan.front()) + "' has " +
                      std::to_string(plan.size()) + " report(s) for its " + std::to_string(shard.count) +
                      " shards (" + plan.front().source + ", ...)";
      }
    }
    if (!incomplete.empty()) {
      throw core::ShardMismatch("merge: shards of " + std::to_string(plans.size()) +
                          " different plans, not each whole: " + incomplete +
                          "; shards of one plan come from one commit, one configuration and one selection");
    }
  }
  const bool re_rendered = plans.empty() && whole.size() == 1;
  const std::string version = re_rendered ? whole.front().plumb_version : inputs.plumb_version;
  for (auto& plan : plans) {
    whole.push_back(merge_shards(std::move(plan), inputs, out_dir));
  }
  // One whole report merged is that report re-rendered (its id, its version); several make a set of this plumb's.
  core::Report merged = analyze::merge_reports(std::move(whole), inputs.policy);
  merged.plumb_version = version;
  return merged;
}

}  // namespace plumb::pipeline

// Shared presentation helpers: quantities, durations, kind titles and the gating rule.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plumb/core/model.hpp"

namespace plumb::reports {

// A byte count for humans: "512 B", "1.5 KiB", "12.0 MiB".
std::string format_bytes(double bytes);

// A value in a growth series' unit for humans; "bytes"/"kB" become binary multiples.
std::string format_quantity(double value, std::string_view unit);

// A signed rate in a series' unit per one step of its axis, e.g. "+48 B/iter", "+1.2 MiB/s".
std::string format_rate(double per_step, std::string_view unit, core::GrowthAxis axis);

// The title of a chart's x axis: "iteration", "massif snapshot" or "seconds".
std::string_view axis_title(core::GrowthAxis axis);

// Seconds for humans: "850 ms", "12.3 s", "4 min 05 s".
std::string format_duration(double seconds);

// A plain number with at most `precision` significant digits and no trailing zeros.
std::string format_number(double value, int precision = 4);

// A one-line human title for a finding kind, e.g. "Definitely lost memory".
std::string_view kind_title(core::FindingKind kind);

// The verdict as a banner word: "PASS", "FAIL" or "ERROR".
std::string_view verdict_word(core::Verdict verdict);

// One line for a shard's part of its plan, the same in every format, e.g. "shard 2/3: 4 of 11
// planned runs, balanced by count"; an empty shard says it ran nothing and why that is valid.
std::string describe_shard(const core::ShardRecord& shard);

// One line for a kind past the report's cap, the same in every format, e.g. "leak.definite: the
// 500 largest listed; 1234 more distinct findings (3 new, 12.1 KiB, 1500 occurrences) counted,
// not listed (project.max_findings_per_kind)".
std::string describe_truncation(const core::Truncation& truncation);

// What identity tells of a finding beyond its kind and site, as analysis set it, e.g.
// "heap-buffer-overflow read of a block of 40 bytes from malloc at make@x.c", "allocated by new[]",
// "on global 'totals'+8", and "grew from 400 to 800 bytes past its baseline"; "" when it has none.
std::string describe_identity(const core::Finding& finding);

// The tool's words for a finding, scoped: its message, or "the first of N reports: <message>" when
// the finding stands for several of the tool's reports (its bytes and blocks are then their sum,
// the message one report's); the kind's title when the tool said nothing.
std::string tool_words(const core::Finding& finding);

// A one-line human explanation of a finding's disposition, e.g. "accepted by the baseline".
std::string disposition_label(const core::Finding& finding);

// "file:line", "file" or "" for a frame's location.
std::string frame_location(const core::Frame& frame);

// The number of sites of each kind (report.sites) whose disposition is `only` (every one when
// nullopt), in taxonomy order, skipping zeros.
std::vector<std::pair<core::FindingKind, std::size_t>> count_sites_by_kind(
    const core::Report& report, std::optional<core::Disposition> only = std::nullopt);

}  // namespace plumb::reports

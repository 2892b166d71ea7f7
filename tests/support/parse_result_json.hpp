// A ParseResult as JSON: the format of the golden expected files and of debugging dumps (a test
// fixture format: what a parser sets, in a stable key order; report.json is core/report_json's).
#pragma once

#include <nlohmann/json.hpp>

#include "plumb/core/parse_result.hpp"

namespace plumb::parse {

// The whole result (findings with related stacks, growth, tool suppressions, completeness,
// warnings) as one JSON object with a stable key order.
nlohmann::ordered_json parse_result_to_json(const core::ParseResult& result);

}  // namespace plumb::parse

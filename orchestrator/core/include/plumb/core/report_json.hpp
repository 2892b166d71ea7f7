// report.json (schema plumb.report/2, and reading plumb.report/1): the model to JSON and back.
#pragma once

#include <istream>
#include <string>

#include <nlohmann/json.hpp>

#include "plumb/core/model.hpp"

namespace plumb::core {

// The report as the JSON document of the contract.
nlohmann::json to_json(const Report& report);

// One finding as report.json writes it (its "findings" entries).
nlohmann::json to_json(const Finding& finding);

// One growth series as report.json writes it (its "growth" entries).
nlohmann::json to_json(const GrowthSeries& series);

// A report read back from its JSON document; throws UsageError naming `source` on a bad document.
Report report_from_json(const nlohmann::json& document, const std::string& source);

// A report read from a report.json stream; throws UsageError naming `source` on bad JSON.
Report read_report(std::istream& in, const std::string& source);

}  // namespace plumb::core

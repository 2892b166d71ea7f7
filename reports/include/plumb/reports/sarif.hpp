// report.sarif: SARIF 2.1.0 so code-scanning dashboards track findings across runs.
#pragma once

#include <string>

#include "plumb/core/model.hpp"

namespace plumb::reports {

// The report as a SARIF 2.1.0 log with one rule per finding kind and one result per finding.
std::string render_sarif(const core::Report& report);

}  // namespace plumb::reports

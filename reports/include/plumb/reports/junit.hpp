// junit.xml: a test suite per variant so CI test views show runs and gating findings.
#pragma once

#include <string>

#include "plumb/core/model.hpp"

namespace plumb::reports {

// The report as JUnit XML: one testsuite per variant, a testcase per run and per gating finding.
std::string render_junit(const core::Report& report);

}  // namespace plumb::reports

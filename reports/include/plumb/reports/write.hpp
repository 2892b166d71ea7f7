// Writing every report format into one folder, each file atomically.
#pragma once

#include <filesystem>

#include "plumb/core/model.hpp"

namespace plumb::reports {

// The paths of the files write_reports produced.
struct WrittenReports {
  std::filesystem::path json, html, junit, sarif;
};

// Writes report.json, report.html, junit.xml and report.sarif into `dir` (created when missing).
// Throws core::InfrastructureError when `dir` cannot be written.
WrittenReports write_reports(const core::Report& report, const std::filesystem::path& dir);

}  // namespace plumb::reports

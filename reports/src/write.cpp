#include "plumb/reports/write.hpp"

#include "plumb/core/atomic_file.hpp"
#include "plumb/core/errors.hpp"
#include "plumb/core/report_json.hpp"
#include "plumb/reports/html.hpp"
#include "plumb/reports/junit.hpp"
#include "plumb/reports/sarif.hpp"

namespace plumb::reports {

WrittenReports write_reports(const core::Report& report, const std::filesystem::path& dir) {
  core::ensure_writable_directory(dir);
  const WrittenReports paths{dir / "report.json", dir / "report.html", dir / "junit.xml",
                             dir / "report.sarif"};
  // Render everything before writing anything, so a rendering error leaves no partial set.
  const std::string json =
      core::to_json(report).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  const std::string html = render_html(report);
  const std::string junit = render_junit(report);
  const std::string sarif = render_sarif(report);
  // The four are one set (each names the run id): all are replaced or none.
  try {
    core::write_files_together(
        {{paths.json, json}, {paths.html, html}, {paths.junit, junit}, {paths.sarif, sarif}});
  } catch (const core::InfrastructureError& failure) {
    throw core::InfrastructureError(
        std::string(failure.what()) +
        "; the report set was not replaced (the previous one, if any, is kept whole)");
  }
  return paths;
}

}  // namespace plumb::reports

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
  // Each file is staged beside its target as soon as it is rendered, so one rendered file is held
  // at a time; a rendering or staging error removes what was staged and leaves no partial set.
  // The four are one set (each names the run id): all are replaced or none.
  try {
    core::FileSet set;
    set.stage(paths.json,
              core::to_json(report).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    set.stage(paths.html, render_html(report));
    set.stage(paths.junit, render_junit(report));
    set.stage(paths.sarif, render_sarif(report));
    set.commit();
  } catch (const core::InfrastructureError& failure) {
    throw core::InfrastructureError(
        std::string(failure.what()) +
        "; the report set was not replaced (the previous one, if any, is kept whole)");
  }
  return paths;
}

}  // namespace plumb::reports

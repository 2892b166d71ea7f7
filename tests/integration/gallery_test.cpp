// The committed gallery (reports/gallery/) holds rendered copies of the HTML template, its style
// sheet and script; this keeps them the renderers' current output rather than a second source.
#include "plumb_it.hpp"

namespace plumb::integration {
namespace {

TEST(Gallery, CommittedReportsAreWhatPlumbMergeRendersFromItsReportJson) {
  const std::filesystem::path gallery = PLUMB_GALLERY_DIR;
  ScratchDir scratch;
  const PlumbRun run =
      run_plumb({"merge", (gallery / "report.json").string(), "--out", "out"}, scratch.path());
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  for (const char* file : {"report.json", "report.html", "junit.xml", "report.sarif"}) {
    EXPECT_TRUE(read_file(scratch.path() / "out" / file) == read_file(gallery / file))
        << "reports/gallery/" << file << " is stale; re-render it with "
        << "`plumb merge reports/gallery/report.json --out DIR` (a new folder: plumb writes only into its "
        << "own) and copy DIR's four files into reports/gallery/";
  }
}

}  // namespace
}  // namespace plumb::integration

// A growth series' axis in report.json: written by every series, read back, absent in a report
// written before it was recorded (those sampled iterations), refused when misspelled.
#include <gtest/gtest.h>

#include "plumb/core/errors.hpp"
#include "plumb/core/model.hpp"
#include "plumb/core/report_json.hpp"

namespace plumb::core {
namespace {

GrowthSeries series_on(GrowthAxis axis) {
  GrowthSeries series;
  series.variant = "doctor";
  series.metric = "rss";
  series.unit = "bytes";
  series.axis = axis;
  series.slope_per_iteration = 1.25e6;
  series.samples = {{0.0, 5.6e6}, {0.5, 6.3e6}};
  return series;
}

TEST(GrowthAxis, EveryAxisIsSpelledAndReadBack) {
  for (const GrowthAxis axis : {GrowthAxis::Iteration, GrowthAxis::Snapshot, GrowthAxis::Second}) {
    EXPECT_EQ(parse_growth_axis(to_string(axis)), axis) << to_string(axis);
  }
  EXPECT_EQ(to_string(GrowthAxis::Second), "second");
  EXPECT_EQ(to_string(GrowthAxis::Snapshot), "snapshot");
  EXPECT_FALSE(parse_growth_axis("seconds").has_value());
}

TEST(GrowthAxis, IsWrittenToReportJsonAndReadBack) {
  Report report;
  report.verdict = Verdict::Pass;
  report.growth = {series_on(GrowthAxis::Second), series_on(GrowthAxis::Snapshot)};
  const nlohmann::json document = to_json(report);
  EXPECT_EQ(document.at("growth").at(0).at("axis"), "second");
  EXPECT_EQ(document.at("growth").at(1).at("axis"), "snapshot");
  const Report reread = report_from_json(document, "report.json");
  ASSERT_EQ(reread.growth.size(), 2U);
  EXPECT_EQ(reread.growth[0].axis, GrowthAxis::Second);
  EXPECT_EQ(reread.growth[1].axis, GrowthAxis::Snapshot);
}

TEST(GrowthAxis, AReportWithoutItSampledIterationsAndAMisspeltOneIsRefused) {
  Report report;
  report.verdict = Verdict::Pass;
  report.growth = {series_on(GrowthAxis::Second)};
  nlohmann::json document = to_json(report);
  document.at("growth").at(0).erase("axis");
  EXPECT_EQ(report_from_json(document, "old.json").growth.at(0).axis, GrowthAxis::Iteration);
  document.at("growth").at(0)["axis"] = "seconds";
  try {
    (void)report_from_json(document, "bad.json");
    FAIL() << "a misspelt axis was accepted";
  } catch (const UsageError& error) {
    EXPECT_NE(std::string(error.what()).find("axis must be iteration, snapshot or second, got \"seconds\""),
              std::string::npos)
        << error.what();
  }
}

}  // namespace
}  // namespace plumb::core

// core::group_sites: the one grouping of findings by site that the gate stores and every renderer reads.
#include <gtest/gtest.h>

#include <sstream>

#include "plumb/core/model.hpp"
#include "plumb/core/report_json.hpp"

namespace plumb::core {
namespace {

Finding leak(const std::string& fingerprint, const std::string& site, std::uint64_t bytes, Disposition disposition) {
  Finding finding;
  finding.kind = FindingKind::LeakDefinite;
  finding.fingerprint = fingerprint;
  finding.site = site;
  finding.allocator = "malloc";
  finding.bytes = bytes;
  finding.blocks = 1;
  finding.occurrences = 1;
  finding.disposition = disposition;
  return finding;
}

TEST(GroupSites, CallPathsToOneSiteAreOneSiteWithItsTotalsInReportOrder) {
  const std::vector<Finding> findings = {
      leak("a1", "checked_alloc@pool.cpp", 72, Disposition::Gating),
      leak("b1", "make@x.cpp", 40, Disposition::Gating),
      leak("a2", "checked_alloc@pool.cpp", 48, Disposition::Baseline),
  };
  const auto sites = group_sites(findings);
  ASSERT_EQ(sites.size(), 2u);
  EXPECT_EQ(sites[0].findings, (std::vector<std::size_t>{0, 2}));
  EXPECT_EQ(sites[0].bytes, 120u);
  EXPECT_EQ(sites[0].blocks, 2u);
  EXPECT_EQ(sites[0].occurrences, 2u);
  EXPECT_EQ(sites[0].gating, 1u);
  EXPECT_EQ(sites[0].disposition, Disposition::Gating);
  EXPECT_EQ(sites[0].key, site_key(findings[0]));
  EXPECT_EQ(sites[1].findings, (std::vector<std::size_t>{1}));
}

TEST(GroupSites, ASiteGatesWhenAnyPathGatesElseTakesItsLeadsDisposition) {
  const std::vector<Finding> findings = {
      leak("a1", "f@x.cpp", 8, Disposition::Baseline),
      leak("a2", "f@x.cpp", 8, Disposition::Gating),
      leak("c1", "g@x.cpp", 8, Disposition::Suppressed),
      leak("c2", "g@x.cpp", 8, Disposition::Baseline),
  };
  const auto sites = group_sites(findings);
  ASSERT_EQ(sites.size(), 2u);
  EXPECT_EQ(sites[0].disposition, Disposition::Gating);
  EXPECT_EQ(sites[1].disposition, Disposition::Suppressed);
  EXPECT_EQ(sites[1].gating, 0u);
}

TEST(GroupSites, TwoBugsInOneFunctionAreTwoSitesAndAnUnplacedFindingStandsAlone) {
  Finding overflow = leak("o", "f@x.cpp", 0, Disposition::Gating);
  overflow.kind = FindingKind::MemoryError;
  overflow.error_class = ErrorClass::HeapBufferOverflow;
  Finding use_after_free = overflow;
  use_after_free.fingerprint = "u";
  use_after_free.error_class = ErrorClass::HeapUseAfterFree;
  Finding nowhere_1;
  Finding nowhere_2;
  const auto sites = group_sites({overflow, use_after_free, nowhere_1, nowhere_2});
  EXPECT_EQ(sites.size(), 4u);
}

TEST(GroupSites, AReportReadBackHasTheSitesItWasWrittenWith) {
  Report report;
  report.findings = {leak("a1", "f@x.cpp", 72, Disposition::Gating), leak("a2", "f@x.cpp", 48, Disposition::Gating)};
  report.sites = group_sites(report.findings);
  std::istringstream in(to_json(report).dump());
  const Report read = read_report(in, "report.json");
  EXPECT_EQ(read.sites, report.sites);
  EXPECT_EQ(to_json(report).at("sites").at(0).at("bytes"), 120);
}

}  // namespace
}  // namespace plumb::core

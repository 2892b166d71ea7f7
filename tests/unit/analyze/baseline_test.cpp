#include "plumb/analyze/baseline.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "plumb/analyze/fingerprint.hpp"
#include "plumb/core/errors.hpp"

namespace plumb::analyze {
namespace {

Baseline parse(const std::string& text) {
  std::istringstream in(text);
  return parse_baseline(in, "suppressions/baseline.json");
}

std::string error_of(const std::string& text) {
  try {
    parse(text);
  } catch (const core::UsageError& error) {
    return error.what();
  }
  return "";
}

TEST(ParseBaseline, AcceptsObjectsStringsAndTheEmptyList) {
  EXPECT_TRUE(parse(R"({"schema": "plumb.baseline/1", "fingerprints": []})").fingerprints.empty());
  EXPECT_TRUE(parse("[]").fingerprints.empty());
  const auto baseline = parse(R"({
  "schema": "plumb.baseline/2",
  "identity": 2,
  "fingerprints": [
    {"fingerprint": "00ff00ff00ff00ff", "kind": "leak.definite", "top_frame": "f"},
    "0123456789abcdef"
  ]
})");
  EXPECT_EQ(baseline.fingerprints, (std::set<std::string>{"00ff00ff00ff00ff", "0123456789abcdef"}));
}

TEST(ParseBaseline, ErrorsNameFileAndLine) {
  EXPECT_NE(error_of("{\n  \"fingerprints\": [\n    \"aa\",\n    }\n").find("suppressions/baseline.json:4:"),
            std::string::npos)
      << error_of("{\n  \"fingerprints\": [\n    \"aa\",\n    }\n");
  const std::string bad_entry = "{\n  \"fingerprints\": [\n    \"aa\",\n    {\"kind\": \"race\"}\n  ]\n}\n";
  EXPECT_NE(error_of(bad_entry).find("suppressions/baseline.json:4: each entry must be"), std::string::npos)
      << error_of(bad_entry);
  const std::string not_hex = "[\n  \"aa\",\n  \"bb\",\n  \"NOT-HEX\"\n]\n";
  EXPECT_NE(error_of(not_hex).find("suppressions/baseline.json:4: \"NOT-HEX\" is not a fingerprint"),
            std::string::npos)
      << error_of(not_hex);
  EXPECT_NE(error_of(R"({"schema": "plumb.baseline/9", "fingerprints": []})").find("schema must be"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"fingerprint": []})").find("unknown baseline key \"fingerprint\""),
            std::string::npos);
  EXPECT_NE(error_of(R"({"fingerprints": {}})").find("must be an array"), std::string::npos);
}

TEST(ParseBaseline, FingerprintsOfAnotherIdentityVersionAreRefusedWithWhatToRun) {
  for (const std::string old :
       {R"({"schema": "plumb.baseline/1", "fingerprints": ["0123456789abcdef"]})", R"(["0123456789abcdef"])",
        R"({"schema": "plumb.baseline/2", "identity": 1, "fingerprints": ["0123456789abcdef"]})"}) {
    const std::string error = error_of(old);
    EXPECT_NE(error.find("suppressions/baseline.json:1: these fingerprints were made with identity version"),
              std::string::npos)
        << error;
    EXPECT_NE(error.find("plumb baseline update"), std::string::npos) << error;
  }
}

TEST(RenderBaseline, RefusesAReportOfAnotherIdentityVersion) {
  core::Report old;
  old.identity = 1;
  EXPECT_THROW(render_baseline(old), core::UsageError);
}

TEST(LoadBaseline, MissingFileIsEmpty) {
  EXPECT_TRUE(load_baseline("no/such/baseline.json").fingerprints.empty());
}

TEST(RenderBaseline, SortedNewAndBaselineFindingsRoundTrip) {
  core::Report report;
  core::Finding a;
  a.fingerprint = "bbbbbbbbbbbbbbbb";
  a.kind = core::FindingKind::Race;
  a.frames = {{"Pool::work(int)", "pool.cpp", 3, ""}};
  core::Finding b;
  b.fingerprint = "aaaaaaaaaaaaaaaa";
  b.kind = core::FindingKind::LeakDefinite;
  b.status = core::FindingStatus::Baseline;
  core::Finding c;
  c.fingerprint = "cccccccccccccccc";
  c.status = core::FindingStatus::Suppressed;
  report.findings = {a, b, c};
  report.identity = kIdentityVersion;
  const auto text = render_baseline(report);
  EXPECT_EQ(
      text,
      "{\n  \"schema\": \"plumb.baseline/2\",\n  \"identity\": 2,\n  \"fingerprints\": [\n"
      "    {\"fingerprint\":\"aaaaaaaaaaaaaaaa\",\"kind\":\"leak.definite\",\"top_frame\":\"\"},\n"
      "    {\"fingerprint\":\"bbbbbbbbbbbbbbbb\",\"kind\":\"race\",\"top_frame\":\"Pool::work\"}\n  ]\n}\n");
  EXPECT_EQ(parse(text).fingerprints, (std::set<std::string>{"aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb"}));
  core::Report empty;
  empty.identity = kIdentityVersion;
  EXPECT_TRUE(parse(render_baseline(empty)).fingerprints.empty());
}

TEST(RenderBaseline, InvalidUtf8InASymbolIsReplacedNotThrown) {
  // Found by the lsan fuzz target: a log's function name may hold any bytes.
  core::Report report;
  core::Finding finding;
  finding.fingerprint = "dddddddddddddddd";
  finding.kind = core::FindingKind::LeakDefinite;
  finding.frames = {{"bad\xff\xfename", "x.cpp", 1, ""}};
  report.findings = {finding};
  report.identity = kIdentityVersion;
  std::string text;
  ASSERT_NO_THROW(text = render_baseline(report));
  EXPECT_NE(text.find("bad\xef\xbf\xbd"), std::string::npos) << text;  // U+FFFD
  EXPECT_EQ(parse(text).fingerprints, (std::set<std::string>{"dddddddddddddddd"}));
}

}  // namespace
}  // namespace plumb::analyze

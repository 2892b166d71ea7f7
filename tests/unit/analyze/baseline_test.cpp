#include "plumb/analyze/baseline.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
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
  "identity": 4,
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
  b.bytes = 48;
  b.blocks = 2;
  b.variants = {"memcheck"};
  core::Finding c;
  c.fingerprint = "cccccccccccccccc";
  c.status = core::FindingStatus::Suppressed;
  report.findings = {a, b, c};
  report.identity = kIdentityVersion;
  const auto text = render_baseline(report);
  EXPECT_EQ(
      text,
      "{\n  \"schema\": \"plumb.baseline/2\",\n  \"identity\": 4,\n  \"fingerprints\": [\n"
      "    {\"blocks\":2,\"bytes\":48,\"fingerprint\":\"aaaaaaaaaaaaaaaa\",\"kind\":\"leak.definite\",\"top_frame\":\"\"},\n"
      "    {\"fingerprint\":\"bbbbbbbbbbbbbbbb\",\"kind\":\"race\",\"top_frame\":\"Pool::work\"}\n  ]\n}\n");
  const auto parsed = parse(text);
  EXPECT_EQ(parsed.fingerprints, (std::set<std::string>{"aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb"}));
  ASSERT_EQ(parsed.amounts.count("aaaaaaaaaaaaaaaa"), 1u) << "a leak is accepted up to its amount";
  EXPECT_EQ(parsed.amounts.at("aaaaaaaaaaaaaaaa").bytes, 48u);
  EXPECT_EQ(parsed.amounts.at("aaaaaaaaaaaaaaaa").blocks, 2u);
  EXPECT_EQ(parsed.amounts.count("bbbbbbbbbbbbbbbb"), 0u) << "a race has no amount";
  core::Report empty;
  empty.identity = kIdentityVersion;
  EXPECT_TRUE(parse(render_baseline(empty)).fingerprints.empty());
}

TEST(RenderBaseline, ALeakOfSeveralKindsAndTestsIsOneEntryWithEachTestsBytes) {
  core::Report report;
  report.identity = kIdentityVersion;
  core::Finding definite;
  definite.fingerprint = "abababababababab";
  definite.kind = core::FindingKind::LeakDefinite;
  definite.bytes = 300;
  definite.blocks = 3;
  definite.variants = {"memcheck/parse", "memcheck/load"};
  definite.shares = {{{core::Reporter::Memcheck}, {"memcheck/parse"}, 300, 3, 1},
                     {{core::Reporter::Memcheck}, {"memcheck/load"}, 100, 1, 1}};
  core::Finding possible = definite;  // Memcheck called part of it possibly lost: the same identity.
  possible.kind = core::FindingKind::LeakPossible;
  possible.bytes = 100;
  possible.blocks = 1;
  possible.variants = {"memcheck/parse"};
  possible.shares.clear();
  report.findings = {definite, possible};
  const auto amount = leak_amount(report, "abababababababab");
  EXPECT_EQ(amount.bytes, 400u);
  EXPECT_EQ(amount.blocks, 4u);
  EXPECT_EQ(amount.bytes_by_variant,
            (std::map<std::string, std::uint64_t>{{"memcheck/load", 100}, {"memcheck/parse", 400}}));
  const auto text = render_baseline(report);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 7) << "one entry: " << text;
  const auto parsed = parse(text);
  EXPECT_EQ(parsed.amounts.at("abababababababab").bytes_by_variant, amount.bytes_by_variant);
}

TEST(BaselineAmount, GrowsPastTheToleranceOnlyAndPerVariant) {
  AcceptedAmount accepted;
  accepted.bytes = 1000;
  accepted.bytes_by_variant = {{"a", 1000}, {"b", 100}};
  const BaselineTolerance ten_percent{0, 10.0};
  AcceptedAmount same = accepted;
  EXPECT_FALSE(grown(accepted, same, ten_percent));
  AcceptedAmount a_bit_more = accepted;
  a_bit_more.bytes = 1100;  // Within 10%.
  EXPECT_FALSE(grown(accepted, a_bit_more, ten_percent));
  AcceptedAmount twice = accepted;
  twice.bytes = 2000;
  const auto growth = grown(accepted, twice, ten_percent);
  ASSERT_TRUE(growth);
  EXPECT_EQ(growth->from, 1000u);
  EXPECT_EQ(growth->to, 2000u);
  // A test held to its own amount: b leaks 300 where it accepted 100, though the total holds.
  AcceptedAmount b_grew = accepted;
  b_grew.bytes_by_variant["b"] = 300;
  ASSERT_TRUE(grown(accepted, b_grew, ten_percent));
  EXPECT_EQ(grown(accepted, b_grew, ten_percent)->from, 100u);
  // A byte tolerance larger than the share wins.
  EXPECT_FALSE(grown(accepted, b_grew, BaselineTolerance{500, 10.0}));
}

TEST(ParseBaseline, KeysGivenTwiceAndFingerprintsListedTwiceAreErrors) {
  const std::string twice_key = "{\n  \"identity\": 4,\n  \"schema\": \"plumb.baseline/2\",\n"
                                "  \"fingerprints\": [],\n  \"fingerprints\": [\"aa\"]\n}\n";
  EXPECT_NE(error_of(twice_key).find("suppressions/baseline.json:5: key \"fingerprints\" is given twice"),
            std::string::npos)
      << error_of(twice_key);
  const std::string twice_entry_key =
      "{\"schema\": \"plumb.baseline/2\", \"identity\": 4, \"fingerprints\": [\n"
      "  {\"fingerprint\": \"aa\", \"bytes\": 1, \"bytes\": 900}\n]}\n";
  EXPECT_NE(error_of(twice_entry_key).find(":2: key \"bytes\" is given twice"), std::string::npos)
      << error_of(twice_entry_key);
  const std::string twice_fingerprint = "{\"schema\": \"plumb.baseline/2\", \"identity\": 4, \"fingerprints\": [\n"
                                        "  \"aa\",\n  \"aa\"\n]}\n";
  EXPECT_NE(error_of(twice_fingerprint).find(":3: fingerprint aa is listed twice"), std::string::npos)
      << error_of(twice_fingerprint);
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

#include "plumb/analyze/suppressions.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "plumb/core/errors.hpp"
#include "real_frames.hpp"

namespace plumb::analyze {
namespace {

using core::FindingKind;

SuppressionSet parse(const std::string& text) {
  std::istringstream in(text);
  return parse_suppressions(in, "suppressions/plumb.toml");
}

// The UsageError message parse() throws for `text`, or "" when it parses.
std::string parse_error(const std::string& text) {
  try {
    parse(text);
  } catch (const core::UsageError& error) {
    return error.what();
  }
  return "";
}

core::Finding finding(FindingKind kind, std::vector<core::Frame> frames) {
  core::Finding result;
  result.kind = kind;
  result.frames = std::move(frames);
  return result;
}

constexpr const char* kValid = R"(# two entries
[[suppression]]
id = "libfoo-init"
kinds = ["leak.definite", "leak.indirect"]
frames = ["foo_init*", "..."]
reason = "libfoo caches its config forever"
expires = 2030-01-31

[[suppression]]
id = "widget"
kinds = ["leak.definite"]
frames = ["plumbdemo::make_widget", "caller"]
reason = "known"
expires = "2024-02-29"
)";

TEST(ParseSuppressions, ReadsEveryField) {
  const auto set = parse(kValid);
  EXPECT_EQ(set.source, "suppressions/plumb.toml");
  ASSERT_EQ(set.entries.size(), 2u);
  const auto& first = set.entries[0];
  EXPECT_EQ(first.id, "libfoo-init");
  EXPECT_EQ(first.kinds, (std::vector<FindingKind>{FindingKind::LeakDefinite, FindingKind::LeakIndirect}));
  EXPECT_EQ(first.frames, (std::vector<std::string>{"foo_init*", "..."}));
  EXPECT_EQ(first.reason, "libfoo caches its config forever");
  EXPECT_EQ(first.expires, "2030-01-31");
  EXPECT_EQ(first.line, 2);
  EXPECT_EQ(set.entries[1].expires, "2024-02-29");
  EXPECT_EQ(set.entries[1].line, 9);
}

TEST(ParseSuppressions, EmptyDocumentHasNoEntries) {
  EXPECT_TRUE(parse("# nothing suppressed yet\n").entries.empty());
}

struct BadCase {
  const char* name;
  const char* text;
  const char* expected;  // Substring of the message, which must start with "file:line:".
};

// gtest would otherwise print the struct's bytes (memcheck: uninitialised padding).
void PrintTo(const BadCase& c, std::ostream* out) {
  *out << c.name;
}

class ParseSuppressionsErrors : public ::testing::TestWithParam<BadCase> {};

TEST_P(ParseSuppressionsErrors, NameFileAndLine) {
  const auto message = parse_error(GetParam().text);
  EXPECT_NE(message.find(GetParam().expected), std::string::npos) << message;
}

constexpr const char* kEntryHead = "[[suppression]]\nid = \"a\"\nkinds = [\"race\"]\nframes = [\"f\"]\n";

INSTANTIATE_TEST_SUITE_P(
    EachMalformedCase, ParseSuppressionsErrors,
    ::testing::Values(
        BadCase{"toml_syntax", "[[suppression]]\nid = \"a\nkinds = []\n", "suppressions/plumb.toml:2:"},
        BadCase{"unknown_top_key", "\n\nversion = 1\n",
                "suppressions/plumb.toml:3: unknown top-level key \"version\""},
        BadCase{"unknown_entry_key",
                "[[suppression]]\nid = \"a\"\nkinds = [\"race\"]\nframes = [\"f\"]\nreason = \"r\"\n"
                "frame = [\"g\"]\n",
                "suppressions/plumb.toml:6: unknown key \"frame\""},
        BadCase{"missing_id", "[[suppression]]\nkinds = [\"race\"]\nframes = [\"f\"]\nreason = \"r\"\n",
                "suppressions/plumb.toml:1: suppression entry is missing \"id\""},
        BadCase{"missing_kinds", "[[suppression]]\nid = \"a\"\nframes = [\"f\"]\nreason = \"r\"\n",
                "suppressions/plumb.toml:1: suppression entry is missing \"kinds\""},
        BadCase{"missing_frames", "[[suppression]]\nid = \"a\"\nkinds = [\"race\"]\nreason = \"r\"\n",
                "suppressions/plumb.toml:1: suppression entry is missing \"frames\""},
        BadCase{"missing_reason", "[[suppression]]\nid = \"a\"\nkinds = [\"race\"]\nframes = [\"f\"]\n",
                "suppressions/plumb.toml:1: suppression entry is missing \"reason\""},
        BadCase{"empty_reason",
                "[[suppression]]\nid = \"a\"\nkinds = [\"race\"]\nframes = [\"f\"]\nreason = \"\"\n",
                "suppressions/plumb.toml:5: \"reason\" must be a non-empty string"},
        BadCase{
            "unknown_kind",
            "[[suppression]]\nid = \"a\"\nkinds = [\"leak.sometimes\"]\nframes = [\"f\"]\nreason = \"r\"\n",
            "suppressions/plumb.toml:3: unknown finding kind \"leak.sometimes\""},
        BadCase{"empty_frames",
                "[[suppression]]\nid = \"a\"\nkinds = [\"race\"]\nframes = []\nreason = \"r\"\n",
                "suppressions/plumb.toml:4: \"frames\" must be a non-empty array"},
        BadCase{"frames_not_strings",
                "[[suppression]]\nid = \"a\"\nkinds = [\"race\"]\nframes = [1]\nreason = \"r\"\n",
                "suppressions/plumb.toml:4: \"frames\" must contain only non-empty strings"},
        BadCase{"bad_id",
                "[[suppression]]\nid = \"a b\"\nkinds = [\"race\"]\nframes = [\"f\"]\nreason = \"r\"\n",
                "suppressions/plumb.toml:2: id \"a b\""},
        BadCase{"duplicate_id",
                "[[suppression]]\nid = \"a\"\nkinds = [\"race\"]\nframes = [\"f\"]\nreason = \"r\"\n"
                "[[suppression]]\nid = \"a\"\nkinds = [\"race\"]\nframes = [\"f\"]\nreason = \"r\"\n",
                "suppressions/plumb.toml:7: duplicate suppression id \"a\""},
        BadCase{"bad_date_string",
                "[[suppression]]\nid = \"a\"\nkinds = [\"race\"]\nframes = [\"f\"]\nreason = \"r\"\n"
                "expires = \"2025-02-30\"\n",
                "suppressions/plumb.toml:6: \"expires\" must be a date YYYY-MM-DD"},
        BadCase{"date_wrong_shape",
                "[[suppression]]\nid = \"a\"\nkinds = [\"race\"]\nframes = [\"f\"]\nreason = \"r\"\n"
                "expires = \"31.01.2025\"\n",
                "suppressions/plumb.toml:6: \"expires\" must be a date YYYY-MM-DD"},
        BadCase{"date_not_a_date",
                "[[suppression]]\nid = \"a\"\nkinds = [\"race\"]\nframes = [\"f\"]\nreason = \"r\"\n"
                "expires = 20250131\n",
                "suppressions/plumb.toml:6: \"expires\" must be a date YYYY-MM-DD"},
        BadCase{"not_array_of_tables", "suppression = \"x\"\n",
                "suppressions/plumb.toml:1: \"suppression\" must be an array of tables"}),
    [](const ::testing::TestParamInfo<BadCase>& param_info) { return std::string(param_info.param.name); });

TEST(ParseSuppressions, HeadOfEveryBadCaseIsValidOnItsOwn) {
  // Guards the table above: the shared entry head plus a reason parses.
  EXPECT_EQ(parse_error(std::string(kEntryHead) + "reason = \"r\"\n"), "");
}

TEST(LoadSuppressions, MissingFileIsAUsageError) {
  EXPECT_THROW(load_suppressions("does/not/exist.toml"), core::UsageError);
}

TEST(GlobMatch, StarsAndQuestionMarks) {
  EXPECT_TRUE(glob_match("foo", "foo"));
  EXPECT_FALSE(glob_match("foo", "foobar"));
  EXPECT_TRUE(glob_match("foo*", "foobar"));
  EXPECT_TRUE(glob_match("*bar", "foobar"));
  EXPECT_TRUE(glob_match("f?o*r", "foobar"));
  EXPECT_TRUE(glob_match("*", ""));
  EXPECT_FALSE(glob_match("?", ""));
  EXPECT_TRUE(glob_match("std::*::push_back", "std::vector<int, std::allocator<int> >::push_back"));
  EXPECT_TRUE(glob_match("a*b*c", "axxbyybzzc"));
  EXPECT_FALSE(glob_match("a*b*c", "axxbyyzz"));
}

TEST(Matches, PatternCoversTheInnermostUserFramesInOrder) {
  const auto leak = finding(FindingKind::LeakDefinite, testdata::memcheck_new_array_leak());
  Suppression entry{"s", {FindingKind::LeakDefinite}, {"plumbdemo::make_widget", "caller"}, "r", {}, 1};
  EXPECT_TRUE(matches(entry, leak));
  entry.frames = {"plumbdemo::*"};
  EXPECT_TRUE(matches(entry, leak));
  entry.frames = {"caller"};  // Not the innermost user frame.
  EXPECT_FALSE(matches(entry, leak));
  entry.frames = {"...", "caller"};
  EXPECT_TRUE(matches(entry, leak));
  entry.frames = {"...", "main"};
  EXPECT_TRUE(matches(entry, leak));
  entry.frames = {"plumbdemo::make_widget", "...", "main"};
  EXPECT_TRUE(matches(entry, leak));
  entry.frames = {"plumbdemo::make_widget", "...", "nowhere"};
  EXPECT_FALSE(matches(entry, leak));
  entry.frames = {"plumbdemo::make_widget", "caller", "main", "beyond"};
  EXPECT_FALSE(matches(entry, leak));
  entry.frames = {"..."};
  EXPECT_TRUE(matches(entry, leak));
}

TEST(Matches, KindMustBeListed) {
  const auto leak = finding(FindingKind::LeakIndirect, testdata::lsan_gcc_new_array_leak());
  Suppression entry{"s", {FindingKind::LeakDefinite}, {"plumbdemo::make_widget"}, "r", {}, 1};
  EXPECT_FALSE(matches(entry, leak));
  entry.kinds.push_back(FindingKind::LeakIndirect);
  EXPECT_TRUE(matches(entry, leak));
}

TEST(IsExpired, TheExpiryDayIsStillValid) {
  Suppression entry{"s", {FindingKind::Race}, {"f"}, "r", "2025-03-01", 1};
  EXPECT_FALSE(is_expired(entry, "2025-02-28"));
  EXPECT_FALSE(is_expired(entry, "2025-03-01"));
  EXPECT_TRUE(is_expired(entry, "2025-03-02"));
  EXPECT_TRUE(is_expired(entry, "2026-01-01"));
  EXPECT_FALSE(is_expired(entry, ""));
  entry.expires.reset();
  EXPECT_FALSE(is_expired(entry, "2999-12-31"));
}

}  // namespace
}  // namespace plumb::analyze

// memcheck XML as the dedicated tokenizer reads it: entities, tolerated XML features, chunk
// boundaries anywhere, and malformed input that must end in a warning with a line, never a crash.
#include <algorithm>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <valgrind/valgrind.h>
#include <nlohmann/json.hpp>

#include "plumb/parse/memcheck_xml.hpp"
#include "parse_result_json.hpp"
#include "read_golden.hpp"

namespace plumb::parse {
namespace {

using testing::read_golden;

core::ParseResult parse_text(const std::string& text) {
  std::istringstream in(text);
  return parse_memcheck(in);
}

// A one-error log around `error_body` (the inside of an <error>).
std::string log_with_error(const std::string& error_body) {
  return "<?xml version=\"1.0\"?>\n<valgrindoutput>\n<protocolversion>4</protocolversion>\n"
         "<protocoltool>memcheck</protocoltool>\n"
         "<status><state>FINISHED</state></status>\n<error>" +
         error_body + "</error>\n</valgrindoutput>\n";
}

std::string frame(const std::string& fn) {
  return "<stack><frame><ip>0x1</ip><fn>" + fn + "</fn></frame></stack>";
}

bool has_warning_with(const core::ParseResult& result, const std::string& needle) {
  for (const auto& warning : result.warnings) {
    if (warning.find(needle) != std::string::npos) {
      return true;
    }
  }
  return false;
}

TEST(MemcheckTokenizer, PredefinedEntitiesAndCharacterReferences) {
  const auto result = parse_text(log_with_error(
      "<kind>InvalidRead</kind><what>a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; &#65;&#x42;&#xe9;</what>" +
      frame("operator&lt;&lt;(std::ostream&amp;, int)")));
  EXPECT_TRUE(result.complete);
  ASSERT_EQ(result.findings.size(), 1U);
  EXPECT_EQ(result.findings[0].message, "a <b> & \"c\" 'd' AB\xC3\xA9");
  EXPECT_EQ(result.findings[0].frames.at(0).function, "operator<<(std::ostream&, int)");
}

TEST(MemcheckTokenizer, ToleratesAttributesCdataCommentsInstructionsAndDoctype) {
  const std::string text =
      "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE valgrindoutput [ <!ENTITY x \"y\"> "
      "]>\n"
      "<!-- a comment with <tags> -->\n<valgrindoutput version='4'>\n<?pi "
      "data?>\n<protocoltool>memcheck</protocoltool>\n"
      "<error id=\"a > b\" other='x'><kind>InvalidWrite</kind><!-- c --><what><![CDATA[raw <text> & "
      "more]]></what>"
      "<stack><frame><ip>0x1</ip><fn>f</fn><file/></frame></stack></error>\n"
      "<status><state>FINISHED</state></status></valgrindoutput>\n<!-- trailing comment -->\n";
  const auto result = parse_text(text);
  EXPECT_TRUE(result.complete);
  EXPECT_TRUE(result.warnings.empty()) << result.warnings.front();
  ASSERT_EQ(result.findings.size(), 1U);
  EXPECT_EQ(result.findings[0].detail, "InvalidWrite");
  EXPECT_EQ(result.findings[0].message, "raw <text> & more");
  EXPECT_EQ(result.findings[0].frames.at(0).function, "f");
}

TEST(MemcheckTokenizer, InvalidUtf8BecomesReplacementCharacters) {
  const auto result =
      parse_text(log_with_error("<kind>InvalidRead</kind><what>x</what>" + frame("bad\xFF\xC3name")));
  ASSERT_EQ(result.findings.size(), 1U);
  EXPECT_EQ(result.findings[0].frames.at(0).function, "bad\xEF\xBF\xBD\xEF\xBF\xBDname");
  EXPECT_NO_THROW((void)parse_result_to_json(result).dump());
}

// A comment before the root shifts a real log across the tokenizer's 256 KiB chunk boundary, so
// that every tag, text and entity of a record gets split somewhere.
TEST(MemcheckTokenizer, ChunkBoundariesAnywhereGiveTheSameResult) {
  std::string log = read_golden("memcheck/uaf.xml");
  const auto fn = log.find("<fn>read_after_free</fn>");
  ASSERT_NE(fn, std::string::npos);
  log.replace(fn, 24, "<fn>read&lt;after&amp;free&#62;</fn>");
  const auto expected = parse_result_to_json(parse_text(log));
  ASSERT_EQ(expected["findings"].size(), 1U);
  EXPECT_EQ(expected["findings"][0]["frames"][0]["function"], "read<after&free>");
  const std::size_t chunk = std::size_t{1} << 18;
  const std::size_t first_error = log.find("<error>");
  // Every 7th byte natively; coarser under Valgrind, where each 256 KiB pass costs ~50 times more.
  const std::size_t step = RUNNING_ON_VALGRIND ? 61 : 7;
  for (std::size_t shift = 0; shift + first_error < log.size(); shift += step) {
    // The chunk boundary falls `shift` bytes into the first <error>.
    const std::string padded = "<!--" + std::string(chunk - first_error - shift - 7, 'x') + "-->" + log;
    const auto actual = parse_result_to_json(parse_text(padded));
    ASSERT_EQ(actual["findings"], expected["findings"]) << "boundary " << shift << " bytes into the error";
    ASSERT_EQ(actual["complete"], true);
  }
}

TEST(MemcheckTokenizer, MismatchedTagStopsWithALineNumber) {
  const std::string whole = read_golden("memcheck/uaf.xml");
  // Break the record's </error>: the error never closes; nothing after it is read.
  std::string broken = whole;
  broken.replace(broken.find("</error>"), 8, "</errro>");
  const auto result = parse_text(broken);
  EXPECT_FALSE(result.complete);
  EXPECT_TRUE(result.findings.empty());
  ASSERT_FALSE(result.warnings.empty());
  const auto line =
      1 + std::count(whole.begin(), whole.begin() + static_cast<long>(whole.find("</error>")), '\n');
  EXPECT_NE(result.warnings[0].find("line " + std::to_string(line) + ": mismatched tag"), std::string::npos)
      << result.warnings[0];
}

TEST(MemcheckTokenizer, LineNumbersCountAcrossChunks) {
  // 400 KB of lines before the fault: the line is counted over several chunks.
  std::string broken = "<valgrindoutput>\n<!--\n";
  for (int i = 0; i < 50000; ++i) {
    broken += i % 7 == 0 ? "\n" : "a line\n";
  }
  broken += "-->\n<status>\n</statu>\n";
  const auto line = 1 + std::count(broken.begin(), broken.end(), '\n') - 1;
  const auto result = parse_text(broken);
  ASSERT_FALSE(result.warnings.empty());
  EXPECT_EQ(result.warnings[0].rfind("line " + std::to_string(line) + ": mismatched tag", 0), 0U)
      << result.warnings[0];
}

TEST(MemcheckTokenizer, MalformedInputIsAWarningNeverACrash) {
  const std::string good = read_golden("memcheck/uaf.xml");
  const std::string cases[] = {
      "<valgrindoutput><error><kind>x</kind><what>&bogus;</what></error></valgrindoutput>",
      "<valgrindoutput><error><kind>x</kind><what>&#0;</what></error></valgrindoutput>",
      "<valgrindoutput><error><kind>x</kind><what>&#x110000;</what></error></valgrindoutput>",
      "<valgrindoutput><error><kind>x</kind><what>& no semicolon here at all</what></error></valgrindoutput>",
      "<valgrindoutput></error></valgrindoutput>",
      "</valgrindoutput>",
      "<valgrindoutput>< error></valgrindoutput>",
      "<valgrindoutput><!bogus></valgrindoutput>",
      "<valgrindoutput><error id=\"unterminated></error></valgrindoutput>",
      "<valgrindoutput><fn>unclosed",
      "<a></a><b></b>",
      "text before the root <valgrindoutput/>",
      std::string("\0\1\2<valgrindoutput>", 19),
      good.substr(0, good.size() / 2) + "<<<<>>>>" + good.substr(good.size() / 2),
  };
  for (const auto& text : cases) {
    const auto result = parse_text(text);
    EXPECT_FALSE(result.warnings.empty()) << text;
    EXPECT_NE(result.warnings.empty() ? std::string::npos : result.warnings[0].find("line "),
              std::string::npos)
        << text;
    if (text != "<a></a><b></b>") {
      EXPECT_FALSE(result.complete) << text;
    }
  }
}

TEST(MemcheckTokenizer, HostileSizesStayBounded) {
  // Nesting deeper than any log: stopped at the limit.
  std::string deep = "<valgrindoutput>";
  for (int i = 0; i < 5000; ++i) {
    deep += "<a>";
  }
  auto result = parse_text(deep);
  EXPECT_FALSE(result.complete);
  EXPECT_TRUE(has_warning_with(result, "nested deeper")) << result.warnings.front();

  // A tag that never ends within 1 MiB: stopped, not buffered forever.
  result = parse_text("<valgrindoutput><error " + std::string(3U << 20, 'x'));
  EXPECT_FALSE(result.complete);
  EXPECT_TRUE(has_warning_with(result, "longer than 1 MiB")) << result.warnings.front();

  // A text of several MiB in a kept element: cut at 1 MiB, with a warning.
  result =
      parse_text(log_with_error("<kind>InvalidRead</kind><what>" + std::string(3U << 20, 'y') + "</what>"));
  ASSERT_EQ(result.findings.size(), 1U);
  EXPECT_EQ(result.findings[0].message.size(), 1U << 20);
  EXPECT_TRUE(has_warning_with(result, "longer than 1 MiB"));
}

}  // namespace
}  // namespace plumb::parse

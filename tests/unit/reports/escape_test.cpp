#include "plumb/reports/escape.hpp"

#include <gtest/gtest.h>

namespace plumb::reports {
namespace {

TEST(Escape, SanitizeKeepsValidUtf8AndReplacesInvalidBytesAndControls) {
  EXPECT_EQ(sanitize_utf8("grüße ✓ 𝄞\ttab\nline"), "grüße ✓ 𝄞\ttab\nline");
  EXPECT_EQ(sanitize_utf8("a\xff"
                          "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(sanitize_utf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong '/'
  EXPECT_EQ(sanitize_utf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(sanitize_utf8("x\x1b[31m\x01"), "x\xEF\xBF\xBD[31m\xEF\xBF\xBD");
  EXPECT_EQ(sanitize_utf8("cut \xE2\x82"), "cut \xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(Escape, HtmlEscapesEveryMarkupCharacter) {
  EXPECT_EQ(escape_html("<script>alert('1')</script> & \"x\""),
            "&lt;script&gt;alert(&#39;1&#39;)&lt;/script&gt; &amp; &quot;x&quot;");
  EXPECT_EQ(escape_html("plain text"), "plain text");
}

TEST(Escape, XmlEscapesAndEncodesNewlinesOnlyInAttributes) {
  EXPECT_EQ(escape_xml("a<b>&'\"\nc"), "a&lt;b&gt;&amp;&apos;&quot;\nc");
  EXPECT_EQ(escape_xml("a\nb\tc", true), "a&#10;b&#9;c");
  EXPECT_EQ(escape_xml("bell\x07"), "bell\xEF\xBF\xBD");
}

TEST(Escape, JsonForScriptBlockCannotCloseTheBlock) {
  const nlohmann::json document = {{"f", "</script><!-- & \xE2\x80\xA8\xE2\x80\xA9"}, {"bad", "\xff"}};
  const std::string text = json_for_script_block(document);
  EXPECT_EQ(text.find('<'), std::string::npos);
  EXPECT_EQ(text.find('>'), std::string::npos);
  EXPECT_EQ(text.find('&'), std::string::npos);
  EXPECT_EQ(text.find("\xE2\x80\xA8"), std::string::npos);
  EXPECT_EQ(text.find("\xE2\x80\xA9"), std::string::npos);
  const auto parsed = nlohmann::json::parse(text);
  EXPECT_EQ(parsed["f"], "</script><!-- & \xE2\x80\xA8\xE2\x80\xA9");
  EXPECT_EQ(parsed["bad"], "\xEF\xBF\xBD");
}

TEST(Escape, RelativeHrefNeverCarriesASchemeOrHost) {
  EXPECT_EQ(relative_href("logs/asan batch/asan.log"), "logs/asan%20batch/asan.log");
  EXPECT_EQ(relative_href("javascript:alert(1)"), "javascript%3Aalert%281%29");
  EXPECT_EQ(relative_href("//evil.example/x"), ".///evil.example/x");
  EXPECT_EQ(relative_href("a\"><b"), "a%22%3E%3Cb");
  EXPECT_EQ(relative_href(""), std::nullopt);
}

}  // namespace
}  // namespace plumb::reports

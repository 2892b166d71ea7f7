// GCC 12 at -O1 with sanitizers warns falsely inside <regex> (-Wmaybe-uninitialized in std::function).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <regex>
#pragma GCC diagnostic pop
#else
#include <regex>
#endif

#include "plumb/reports/html.hpp"

#include <sodium.h>

#include <fstream>
#include <map>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "plumb/reports/escape.hpp"
#include "plumb/core/report_json.hpp"
#include "sample_reports.hpp"
#include "test_support.hpp"

namespace plumb::reports {
namespace {

using testing::between;
using testing::count_occurrences;

std::string sha256_source(const std::string& content) {
  EXPECT_GE(sodium_init(), 0);
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(content.data()), content.size());
  char encoded[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES, sodium_base64_VARIANT_ORIGINAL)];
  sodium_bin2base64(encoded, sizeof encoded, digest, sizeof digest, sodium_base64_VARIANT_ORIGINAL);
  return std::string("sha256-") + encoded;
}

// The content of the page's executable inline script (the one without a type attribute).
std::string inline_script(const std::string& html) {
  return between(html, "<script>", "</script>");
}

std::string inline_style(const std::string& html) {
  return between(html, "<style>", "</style>");
}

std::string csp(const std::string& html) {
  const std::string meta = between(html, "http-equiv=\"Content-Security-Policy\" content=\"", "\"");
  return std::regex_replace(meta, std::regex("&#39;"), "'");
}

std::vector<std::string> attribute_values(const std::string& html, const std::string& attribute) {
  std::vector<std::string> values;
  const std::regex pattern(" " + attribute + "=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), pattern); it != std::sregex_iterator();
       ++it) {
    values.push_back((*it)[1]);
  }
  return values;
}

void expect_self_contained(const std::string& html) {
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(count_occurrences(html, "<link"), 0U);
  EXPECT_EQ(count_occurrences(html, "<img"), 0U);
  EXPECT_EQ(count_occurrences(html, "<iframe"), 0U);
  // Every tag the page has: known elements whose attributes neither load nor run anything.
  static const std::set<std::string> kElements = {
      "html",    "head",    "meta",     "title",   "style",      "body",  "header",  "nav",      "main",
      "section", "footer",  "div",      "span",    "a",          "h2",    "h3",      "h4",       "p",
      "ul",      "ol",      "li",       "table",   "thead",      "tbody", "tr",      "th",       "td",
      "code",    "button",  "label",    "select",  "option",     "input", "article", "dl",       "dt",
      "dd",      "details", "summary",  "figure",  "figcaption", "svg",   "defs",    "clipPath", "rect",
      "g",       "line",    "polyline", "polygon", "circle",     "text",  "b",       "i",        "script"};
  const std::string value = "(?:=(?:\"[^\"]*\"|'[^']*'|[^\\s>]+))";
  const std::regex tag("<([a-zA-Z][a-zA-Z0-9]*)((?:\\s+[^\\s=\"'>/]+" + value + "?)*)\\s*/?>");
  const std::regex attribute("\\s+([^\\s=\"'>/]+)");
  const std::regex quoted(value);
  std::size_t tags = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), tag); it != std::sregex_iterator(); ++it) {
    ++tags;
    EXPECT_TRUE(kElements.count((*it)[1])) << "unexpected element " << (*it)[0];
    const std::string names = std::regex_replace(std::string((*it)[2]), quoted, "");
    for (auto a = std::sregex_iterator(names.begin(), names.end(), attribute); a != std::sregex_iterator();
         ++a) {
      const std::string name = (*a)[1];
      EXPECT_NE(name, "src") << (*it)[0];
      EXPECT_NE(name.rfind("on", 0), 0U) << "event handler attribute in " << (*it)[0];
    }
  }
  EXPECT_GT(tags, 50U);
  for (const auto& href : attribute_values(html, "href")) {
    EXPECT_EQ(href.find(':'), std::string::npos) << "href with a scheme: " << href;
  }
}

TEST(Html, CspForbidsOutsideLoadsAndAllowsExactlyTheInlineScriptAndStyle) {
  const std::string html = render_html(testing::realistic_report());
  const std::string policy = csp(html);
  ASSERT_FALSE(policy.empty());
  EXPECT_NE(policy.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(policy.find("img-src data:"), std::string::npos);
  EXPECT_NE(policy.find("base-uri 'none'"), std::string::npos);
  EXPECT_EQ(policy.find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(policy.find("unsafe-eval"), std::string::npos);
  EXPECT_NE(policy.find("script-src '" + sha256_source(inline_script(html)) + "'"), std::string::npos);
  EXPECT_NE(policy.find("style-src '" + sha256_source(inline_style(html)) + "'"), std::string::npos);
  // The policy must come before anything it governs.
  EXPECT_LT(html.find("Content-Security-Policy"), html.find("<style>"));
  EXPECT_EQ(count_occurrences(html, "<script"), 2U);    // the JSON data block and the app script
  EXPECT_EQ(count_occurrences(html, " style=\""), 0U);  // inline style attributes would be blocked
}

TEST(Html, RealisticReportIsSelfContainedAndRendersEverySection) {
  const auto report = testing::realistic_report();
  const std::string html = render_html(report);
  expect_self_contained(html);
  EXPECT_NE(html.find("<header class=\"verdict fail\" id=\"verdict\" data-verdict=\"fail\">"),
            std::string::npos);
  EXPECT_LT(html.find("id=\"verdict\""), html.find("id=\"variants\""));
  EXPECT_EQ(count_occurrences(html, "<tr class=\"variant\""), report.variants.size());
  EXPECT_EQ(count_occurrences(html, "<button type=\"button\" class=\"copy\""), report.variants.size());
  EXPECT_NE(html.find("<a href=\"logs/asan-batch/asan.log\">logs/asan-batch/asan.log</a>"),
            std::string::npos);
  EXPECT_EQ(count_occurrences(html, "<svg class=\"growth-chart\""), report.growth.size());
  EXPECT_EQ(count_occurrences(html, "<tr class=\"site\""), report.growth[5].sites.size());
  EXPECT_EQ(count_occurrences(html, "<tr class=\"suppression\""), report.suppressions.size());
  for (const char* id : {"filter-kind", "filter-status", "filter-tool", "filter-search"}) {
    EXPECT_NE(html.find(std::string("id=\"") + id + "\""), std::string::npos) << id;
  }
  EXPECT_NE(html.find("gate</dt><dd>suppressed by libsodium-constant-time-compare</dd>"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"loc\">scanner/src/announcement.cpp:88</span>"), std::string::npos);
}

// A slope is per what its series counts: the harness's iterations, massif's snapshots, the doctor's
// seconds. Each chart's x axis and every rate on the page say which.
TEST(Html, EachSlopeIsPerItsSeriesAxis) {
  const std::string doctor = render_html(testing::doctor_report());
  EXPECT_EQ(count_occurrences(doctor, "text-anchor=\"middle\">seconds</text>"), 2U);
  EXPECT_EQ(count_occurrences(doctor, "/iter"), 0U);
  EXPECT_EQ(count_occurrences(doctor, "per iteration"), 0U);  // nor the finding kind's title
  EXPECT_NE(doctor.find("aria-label=\"rss of doctor by seconds\""), std::string::npos);
  EXPECT_NE(doctor.find("<dt>slope</dt><dd>+1.3 MiB/s</dd>"), std::string::npos);
  EXPECT_NE(doctor.find("<td class=\"num\">+1.2 MiB/s</td>"), std::string::npos);  // keep_a's site

  const auto realistic = testing::realistic_report();
  const std::string harness = render_html(realistic);
  EXPECT_EQ(count_occurrences(harness, "text-anchor=\"middle\">iteration</text>"), realistic.growth.size() - 1);
  EXPECT_EQ(count_occurrences(harness, "text-anchor=\"middle\">massif snapshot</text>"), 1U);
  EXPECT_NE(harness.find("<td class=\"num\">+31.5 B/snapshot</td>"), std::string::npos);  // a massif site
  EXPECT_NE(harness.find("<dt>slope</dt><dd>+48 B/iter</dd>"), std::string::npos);
}

TEST(Html, FindingsAreGroupedByFingerprintGatingFirstAndCountedPerKind) {
  const auto report = testing::realistic_report();
  const std::string html = render_html(report);
  std::map<std::string, std::set<std::string>> fingerprints_by_kind;
  std::map<std::string, std::set<std::string>> sites_by_kind;  // The summary counts sites, as the cards show them.
  for (const auto& finding : report.findings) {
    fingerprints_by_kind[std::string(core::to_string(finding.kind))].insert(core::site_key(finding));
    sites_by_kind[std::string(core::to_string(finding.kind))].insert(core::site_key(finding));
  }
  for (const auto& [kind, fingerprints] : fingerprints_by_kind) {
    EXPECT_EQ(count_occurrences(html, "data-kind=\"" + kind + "\" data-status="), fingerprints.size())
        << kind;
    EXPECT_NE(html.find("<tr data-kind=\"" + kind + "\" data-count=\"" +
                        std::to_string(sites_by_kind[kind].size()) + "\">"),
              std::string::npos)
        << kind;
  }
  std::vector<std::string> finding_statuses;
  const std::regex article("<article class=\"[^\"]*\" data-kind=\"[^\"]*\" data-status=\"([a-z-]+)\"");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), article); it != std::sregex_iterator();
       ++it) {
    finding_statuses.push_back((*it)[1]);
  }
  ASSERT_EQ(finding_statuses.size(), 8U);  // nine reports, one fingerprint seen twice
  EXPECT_EQ(finding_statuses.front(), "gating");
  EXPECT_EQ(finding_statuses.back(), "suppressed");
  // The page shows the gate's dispositions in the order analysis sorted them.
  EXPECT_TRUE(
      std::is_sorted(finding_statuses.begin(), finding_statuses.end(), [](const auto& a, const auto& b) {
        const std::map<std::string, int> rank = {{"gating", 0},
                                                 {"kind-not-gating", 1},
                                                 {"canary-expected", 2},
                                                 {"baseline", 3},
                                                 {"suppressed", 4}};
        return rank.at(a) < rank.at(b);
      }));
}

TEST(Html, EmbeddedJsonIsTheReport) {
  const auto report = testing::realistic_report();
  const std::string html = render_html(report);
  const std::string data =
      between(html, "<script type=\"application/json\" id=\"plumb-report-data\">", "</script>");
  EXPECT_EQ(nlohmann::json::parse(data), core::to_json(report));
}

TEST(Html, InjectedMarkupRendersAsLiteralText) {
  const auto report = testing::injection_report();
  const std::string html = render_html(report);
  expect_self_contained(html);
  EXPECT_EQ(count_occurrences(html, "<script"), 2U);
  EXPECT_EQ(count_occurrences(html, "</script"), 2U);
  EXPECT_EQ(count_occurrences(html, "<svg"), report.growth.size());
  EXPECT_EQ(html.find("onerror=\""), std::string::npos);
  EXPECT_EQ(html.find("<svg onload"), std::string::npos);
  EXPECT_EQ(html.find("data-pwned','script')</script>"), std::string::npos);
  EXPECT_EQ(html.find("\x1b"), std::string::npos);
  EXPECT_EQ(html.find("\xff"), std::string::npos);
  EXPECT_NE(
      html.find(
          "&lt;script&gt;document.body.setAttribute(&#39;data-pwned&#39;,&#39;script&#39;)&lt;/script&gt;"),
      std::string::npos);
  EXPECT_NE(html.find("&quot;&gt;&lt;img src=x onerror=&quot;"), std::string::npos);
  // Template slots inside data stay text: the page has one script body and one CSP.
  EXPECT_EQ(count_occurrences(html, "Content-Security-Policy"), 1U);
  EXPECT_NE(html.find("{{SCRIPT}} {{CSP}} &amp;amp;"), std::string::npos);
  // The javascript: log path is a harmless relative link, the // one cannot reach a host.
  EXPECT_NE(html.find("href=\"javascript%3Adocument.body.setAttribute%28%27data-pwned%27%2C%27href%27%29\""),
            std::string::npos);
  EXPECT_NE(html.find("href=\".///evil.example/x.log\""), std::string::npos);
  const std::string data =
      between(html, "<script type=\"application/json\" id=\"plumb-report-data\">", "</script>");
  const auto parsed = nlohmann::json::parse(data);
  EXPECT_EQ(parsed["findings"][0]["fingerprint"], testing::injection_payloads()[0]);
  EXPECT_EQ(parsed["variants"][0]["command"], testing::injection_payloads()[3]);
}

TEST(Html, CleanReportShowsPassAndEmptySections) {
  const std::string html = render_html(testing::clean_report());
  expect_self_contained(html);
  EXPECT_NE(html.find("<div class=\"verdict-word\">PASS</div>"), std::string::npos);
  EXPECT_NE(html.find("No tool reported a finding."), std::string::npos);
  EXPECT_NE(html.find("No suppression entries were loaded."), std::string::npos);
  EXPECT_EQ(count_occurrences(html, "<svg class=\"growth-chart\""), 1U);
}

TEST(Html, RendersTheReportJsonFixture) {
  std::ifstream in(std::string(PLUMB_REPORTS_TEST_DATA) + "/report.json");
  ASSERT_TRUE(in) << "missing fixture report.json";
  const auto report = core::read_report(in, "report.json");
  const std::string html = render_html(report);
  expect_self_contained(html);
  EXPECT_NE(html.find("data-verdict=\"" + std::string(core::to_string(report.verdict)) + "\""),
            std::string::npos);
  EXPECT_EQ(count_occurrences(html, "<svg class=\"growth-chart\""), report.growth.size());
  std::set<std::string> fingerprints;
  for (const auto& finding : report.findings) {
    fingerprints.insert(finding.fingerprint);
  }
  EXPECT_EQ(count_occurrences(html, "<article class=\"finding"), fingerprints.size());
  for (const auto& finding : report.findings) {
    for (const auto& frame : finding.frames) {
      if (!frame.function.empty()) {
        EXPECT_NE(html.find(escape_html(frame.function)), std::string::npos) << frame.function;
      }
    }
  }
}

}  // namespace
}  // namespace plumb::reports

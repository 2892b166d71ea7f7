#include "plumb/profile/flame_graph.hpp"

#include <cmath>
#include <sstream>

#include <gtest/gtest.h>

namespace plumb::profile {
namespace {

FoldedProfile parse(const std::string& text) {
  std::istringstream in(text);
  return parse_folded(in, "test");
}

std::size_t count_of(const std::string& haystack, const std::string& needle) {
  std::size_t count = 0;
  for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

// The value of `attribute` on the <rect> of the frame named `name` in rendered `html` ("" when absent).
std::string rect_attribute(const std::string& html, const std::string& name, const std::string& attribute) {
  const auto frame = html.find("data-name=\"" + name + "\"");
  if (frame == std::string::npos) return "";
  const auto rect = html.find("<rect ", frame);
  const auto end = html.find("/>", rect);
  const auto key = html.find(" " + attribute + "=\"", rect);
  if (rect == std::string::npos || key == std::string::npos || key > end) return "";
  const auto begin = key + attribute.size() + 3;
  return html.substr(begin, html.find('"', begin) - begin);
}

struct Rgb {
  int r, g, b;
};

Rgb rgb(const std::string& fill) {
  Rgb out{};
  EXPECT_EQ(std::sscanf(fill.c_str(), "rgb(%d,%d,%d)", &out.r, &out.g, &out.b), 3) << fill;
  return out;
}

TEST(FlameGraph, WidthsAreProportionalToCountsAndChildrenNestInParents) {
  const auto root = build_frame_tree(parse("main;a 30\nmain;b 10\nidle 60\n"));
  FlameGraphOptions options;
  options.width = 1000;
  const auto rects = layout_flame_graph(root, options);
  ASSERT_EQ(rects.size(), 5u);  // all, idle, main, main;a, main;b
  std::map<std::string, FlameRect> by_name;
  for (const auto& rect : rects) {
    by_name[rect.name] = rect;
    EXPECT_NEAR(rect.width, 1000.0 * static_cast<double>(rect.total) / 100.0, 1e-9) << rect.name;
  }
  EXPECT_EQ(by_name["all"].depth, 0);
  EXPECT_EQ(by_name["a"].depth, 2);
  EXPECT_GE(by_name["a"].x, by_name["main"].x);
  EXPECT_LE(by_name["b"].x + by_name["b"].width, by_name["main"].x + by_name["main"].width + 1e-9);
  EXPECT_NEAR(by_name["b"].x, by_name["a"].x + by_name["a"].width, 1e-9);
}

TEST(FlameGraph, NarrowFramesAreLeftOut) {
  const auto root = build_frame_tree(parse("big 100000\ntiny 1\n"));
  FlameGraphOptions options;
  options.width = 1000;
  options.min_width = 0.1;  // tiny would be 0.01 units wide.
  const auto rects = layout_flame_graph(root, options);
  EXPECT_EQ(rects.size(), 2u);
}

TEST(FlameGraph, HtmlHasOneRectPerDrawnFrameAndMatchingWidths) {
  const auto profile = parse("main;scan;x25519 70\nmain;scan;hash 20\nmain;alloc 10\n");
  FlameGraphOptions options;
  const auto html = render_flame_graph(profile, options);
  const auto rects = layout_flame_graph(build_frame_tree(profile), options);
  EXPECT_EQ(count_of(html, "<rect "), rects.size());
  EXPECT_EQ(count_of(html, "<g class=\"f\""), rects.size());
  const auto width = rect_attribute(html, "x25519", "width");
  ASSERT_FALSE(width.empty());
  EXPECT_NEAR(std::stod(width), options.width * 0.70, 1e-3);
}

TEST(FlameGraph, SelfContainedWithAStrictPolicy) {
  const auto html = render_flame_graph(parse("a;b 1\n"), {});
  EXPECT_NE(html.find("Content-Security-Policy"), std::string::npos);
  EXPECT_NE(html.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(html.find("script-src 'sha256-"), std::string::npos);
  EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org/2000/svg"));  // Only the SVG namespace name.
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find(" src="), std::string::npos);
  EXPECT_EQ(count_of(html, "<script"), 1u);
}

TEST(FlameGraph, FrameNamesAreEscapedNotMarkup) {
  const auto html = render_flame_graph(parse("main;<script>alert(\"x\")</script> 5\nmain;a&b 5\n"), {});
  EXPECT_EQ(count_of(html, "<script"), 1u);  // Only the page's own script.
  EXPECT_NE(html.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("a&amp;b"), std::string::npos);
  FlameGraphOptions options;
  options.title = "<b>title</b>";
  EXPECT_EQ(render_flame_graph(parse("a 1\n"), options).find("<b>"), std::string::npos);
}

TEST(FlameGraph, ColoursAreStablePerName) {
  EXPECT_EQ(frame_colour("crypto_scalarmult_curve25519"), frame_colour("crypto_scalarmult_curve25519"));
  EXPECT_NE(frame_colour("crypto_scalarmult_curve25519"), frame_colour("crypto_generichash"));
}

TEST(DiffFlameGraph, ColourSignFollowsTheChangeInShare) {
  const auto grown = rgb(diff_colour(0.10, 0.20));
  EXPECT_GT(grown.r, grown.b);
  EXPECT_EQ(grown.r, 255);
  const auto shrunk = rgb(diff_colour(-0.10, 0.20));
  EXPECT_GT(shrunk.b, shrunk.r);
  EXPECT_EQ(shrunk.b, 255);
  const auto same = rgb(diff_colour(0.0, 0.20));
  EXPECT_EQ(same.r, same.b);
  const auto rounding = rgb(diff_colour(0.001, 0.20));  // 0.5% of the largest move: neutral.
  EXPECT_EQ(rounding.r, rounding.b);
  // A bigger change is a stronger colour.
  EXPECT_LT(rgb(diff_colour(0.20, 0.20)).g, grown.g);
}

TEST(DiffFlameGraph, FramesGrowRedShrinkBlueByNormalizedShare) {
  // Twice as many samples overall; `hash` keeps 50% of them (no change in share), `alloc` goes from 25%
  // to 40% (grew), `parse` from 25% to 10% (shrank).
  const auto baseline = parse("main;hash 50\nmain;alloc 25\nmain;parse 25\n");
  const auto change = parse("main;hash 100\nmain;alloc 80\nmain;parse 20\n");
  const auto html = render_diff_flame_graph(baseline, change, {});
  const auto fill_of = [&](const std::string& name) { return rgb(rect_attribute(html, name, "fill")); };
  const auto alloc = fill_of("alloc");
  const auto parse_fill = fill_of("parse");
  const auto hash = fill_of("hash");
  EXPECT_GT(alloc.r, alloc.b);
  EXPECT_GT(parse_fill.b, parse_fill.r);
  EXPECT_EQ(hash.r, hash.b);
  EXPECT_NE(html.find("self share +15.00 percentage points"), std::string::npos);
  EXPECT_NE(html.find("self share -15.00 percentage points"), std::string::npos);
}

}  // namespace
}  // namespace plumb::profile

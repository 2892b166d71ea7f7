#include "plumb/profile/flame_graph.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

#include <fmt/format.h>

#include "plumb/reports/flame_page.hpp"
#include "plumb/reports/escape.hpp"

namespace plumb::profile {

std::string frame_colour(const std::string& name) {
  // FNV-1a: stable across runs and platforms, so a function keeps its colour between pictures.
  std::uint32_t hash = 2166136261u;
  for (const unsigned char c : name) {
    hash = (hash ^ c) * 16777619u;
  }
  const int red = 205 + static_cast<int>(hash % 50);
  const int green = 80 + static_cast<int>((hash >> 8) % 150);
  const int blue = static_cast<int>((hash >> 16) % 60);
  return fmt::format("rgb({},{},{})", red, green, blue);
}

std::string diff_colour(double delta, double largest) {
  constexpr double kNeutralShare = 0.02;
  double intensity = largest > 0 ? std::clamp(std::fabs(delta) / largest, 0.0, 1.0) : 0.0;
  if (intensity < kNeutralShare) {
    intensity = 0;  // Rounding-level moves stay grey, so the eye goes to the frames that really moved.
  }
  const int faded = static_cast<int>(std::lround(225.0 - 190.0 * intensity));
  if (delta > 0 && intensity > 0) {
    return fmt::format("rgb(255,{},{})", faded, faded);
  }
  if (delta < 0 && intensity > 0) {
    return fmt::format("rgb({},{},255)", faded, faded);
  }
  return "rgb(225,225,225)";
}

namespace {

using Colourer = std::function<void(const FrameNode& node, const FrameNode* baseline, FlameRect& rect)>;

std::string percent(std::uint64_t part, std::uint64_t whole) {
  return whole == 0 ? std::string("0%") : fmt::format("{:.2f}%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

std::string grouped(std::uint64_t value) {
  auto digits = std::to_string(value);
  for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3) {
    digits.insert(static_cast<std::size_t>(at), ",");
  }
  return digits;
}

void lay_out(const FrameNode& node, const FrameNode* baseline, int depth, double x, double scale,
             const FlameGraphOptions& options, const Colourer& colour, std::vector<FlameRect>& out) {
  const double width = static_cast<double>(node.total) * scale;
  if (width < options.min_width) {
    return;
  }
  FlameRect rect;
  rect.name = node.name;
  rect.depth = depth;
  rect.x = x;
  rect.width = width;
  rect.total = node.total;
  rect.self = node.self;
  colour(node, baseline, rect);
  out.push_back(std::move(rect));
  double child_x = x;
  for (const auto& child : node.children) {
    const FrameNode* child_baseline = baseline != nullptr ? baseline->find_child(child.name) : nullptr;
    lay_out(child, child_baseline, depth + 1, child_x, scale, options, colour, out);
    child_x += static_cast<double>(child.total) * scale;
  }
}

std::vector<FlameRect> lay_out_tree(const FrameNode& root, const FrameNode* baseline, const FlameGraphOptions& options,
                                    const Colourer& colour) {
  std::vector<FlameRect> rects;
  if (root.total == 0) {
    return rects;
  }
  const double scale = options.width / static_cast<double>(root.total);
  lay_out(root, baseline, 0, 0.0, scale, options, colour, rects);
  return rects;
}

Colourer plain_colourer(const FrameNode& root, const FlameGraphOptions& options) {
  return [total = root.total, unit = options.unit](const FrameNode& node, const FrameNode*, FlameRect& rect) {
    rect.fill = frame_colour(node.name);
    rect.tooltip = fmt::format("{}\n{} {} ({}), self {} ({})", node.name, grouped(node.total), unit,
                               percent(node.total, total), grouped(node.self), percent(node.self, total));
  };
}

double share(std::uint64_t part, std::uint64_t whole) {
  return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}

// The largest change in exclusive share over the frames that will be drawn, for scaling colours.
double largest_self_delta(const FrameNode& node, const FrameNode* baseline, std::uint64_t total,
                          std::uint64_t baseline_total) {
  double largest = std::fabs(share(node.self, total) - share(baseline ? baseline->self : 0, baseline_total));
  for (const auto& child : node.children) {
    largest = std::max(largest, largest_self_delta(child, baseline ? baseline->find_child(child.name) : nullptr, total,
                                                   baseline_total));
  }
  return largest;
}

std::string render_page(const std::vector<FlameRect>& rects, const FlameGraphOptions& options, const std::string& legend) {
  int deepest = 0;
  for (const auto& rect : rects) {
    deepest = std::max(deepest, rect.depth);
  }
  constexpr double kRow = 17;
  constexpr double kTop = 4;
  const double height = kTop + (deepest + 1) * kRow + 4;
  std::string svg = fmt::format(
      "<svg id=\"flame\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {:.1f} {:.1f}\" width=\"100%\" "
      "data-width=\"{:.1f}\" role=\"img\">\n",
      options.width, height, options.width);
  for (const auto& rect : rects) {
    const double y = kTop + (deepest - rect.depth) * kRow;
    svg += fmt::format(
        "<g class=\"f\" data-x=\"{:.3f}\" data-w=\"{:.3f}\" data-d=\"{}\" data-name=\"{}\"><title>{}</title>"
        "<rect x=\"{:.3f}\" y=\"{:.1f}\" width=\"{:.3f}\" height=\"{:.1f}\" fill=\"{}\" rx=\"2\"/>"
        "<text x=\"{:.3f}\" y=\"{:.1f}\">{}</text></g>\n",
        rect.x, rect.width, rect.depth, reports::escape_html(rect.name), reports::escape_html(rect.tooltip), rect.x, y, rect.width,
        kRow - 1, rect.fill, rect.x + 3, y + 12, reports::escape_html(reports::flame_label(rect.name, rect.width)));
  }
  svg += "</svg>\n";
  return reports::flame_page(options.title, options.subtitle, svg, legend);
}

}  // namespace

std::vector<FlameRect> layout_flame_graph(const FrameNode& root, const FlameGraphOptions& options) {
  return lay_out_tree(root, nullptr, options, plain_colourer(root, options));
}

std::string render_flame_graph(const FoldedProfile& profile, const FlameGraphOptions& options) {
  const auto root = build_frame_tree(profile);
  const auto legend = fmt::format("{} {} in {} stacks. Colours are a hash of the function name.",
                                  grouped(root.total), reports::escape_html(options.unit), grouped(profile.counts.size()));
  return render_page(layout_flame_graph(root, options), options, legend);
}

std::string render_diff_flame_graph(const FoldedProfile& baseline, const FoldedProfile& change,
                                    const FlameGraphOptions& options) {
  const auto base_root = build_frame_tree(baseline);
  const auto change_root = build_frame_tree(change);
  const double largest = largest_self_delta(change_root, &base_root, change_root.total, base_root.total);
  const Colourer colour = [&](const FrameNode& node, const FrameNode* before, FlameRect& rect) {
    const std::uint64_t before_total = before ? before->total : 0;
    const std::uint64_t before_self = before ? before->self : 0;
    const double delta = share(node.self, change_root.total) - share(before_self, base_root.total);
    rect.fill = diff_colour(delta, largest);
    rect.tooltip = fmt::format(
        "{}\nchange: {} ({}), self {}\nbaseline: {}, self {}\nself share {:+.2f} percentage points", node.name,
        grouped(node.total), percent(node.total, change_root.total), percent(node.self, change_root.total),
        percent(before_total, base_root.total), percent(before_self, base_root.total), 100.0 * delta);
  };
  const auto legend = fmt::format(
      "Widths: the change ({} {}); baseline {} {}. Red: the frame's own share of samples grew, blue: it shrank "
      "(strongest colour = {:.2f} percentage points). Frames only in the baseline are not drawn.",
      grouped(change_root.total), reports::escape_html(options.unit), grouped(base_root.total), reports::escape_html(options.unit),
      100.0 * largest);
  return render_page(lay_out_tree(change_root, &base_root, options, colour), options, legend);
}

}  // namespace plumb::profile

// The flame graph: a frame tree laid out as rectangles and rendered as one self-contained HTML file
// (inline SVG, click to zoom, search with the matched share; no outside loads).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "plumb/profile/folded.hpp"
#include "plumb/profile/frame_tree.hpp"

namespace plumb::profile {

// What to call things and how fine to draw.
struct FlameGraphOptions {
  std::string title = "Flame graph";
  std::string unit = "samples";       // What the counts are: samples, instructions, bytes, allocations.
  double width = 1200;                // Drawing width in SVG units (the picture scales to the window).
  double min_width = 0.1;             // Frames narrower than this (SVG units) are not drawn.
  std::string subtitle;               // One line under the title, e.g. the command profiled.
};

// One drawn frame: its place in the picture and its weights.
struct FlameRect {
  std::string name;
  int depth = 0;  // 0 is the root ("all").
  double x = 0;   // Left edge in SVG units.
  double width = 0;
  std::uint64_t total = 0;
  std::uint64_t self = 0;
  std::string fill;  // "rgb(r,g,b)".
  std::string tooltip;
};

// The rectangles of `root`, parents before children, widths proportional to `total`.
std::vector<FlameRect> layout_flame_graph(const FrameNode& root, const FlameGraphOptions& options);

// The warm colour a frame name always gets (a hash of the name), "rgb(r,g,b)".
std::string frame_colour(const std::string& name);

// The colour of a change in sample share: red for growth, blue for shrinkage, grey for none or for
// a move under 2% of the largest; `delta` and `largest` are shares (0..1), `largest` scales the intensity.
std::string diff_colour(double delta, double largest);

// The flame graph of `profile` as one HTML document.
std::string render_flame_graph(const FoldedProfile& profile, const FlameGraphOptions& options);

// The differential flame graph: `change` drawn to scale, each frame coloured by how its exclusive
// share of all samples moved from `baseline` to `change` (red grew, blue shrank).
std::string render_diff_flame_graph(const FoldedProfile& baseline, const FoldedProfile& change,
                                    const FlameGraphOptions& options);

}  // namespace plumb::profile

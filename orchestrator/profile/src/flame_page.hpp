// The HTML page around a flame graph's SVG: styles, the zoom/search script and its CSP.
#pragma once

#include <string>

#include "plumb/profile/flame_graph.hpp"

namespace plumb::profile {

// The part of `name` that fits in `width` SVG units at the page's font size ("" when too narrow).
std::string fitted_label(const std::string& name, double width);

// The whole document: title, legend, search box, `svg`, and the inline script and style whose
// SHA-256 hashes are the only sources the Content-Security-Policy allows.
std::string assemble_page(const FlameGraphOptions& options, const std::string& svg, const std::string& legend_html);

}  // namespace plumb::profile

// The HTML page around a flame graph's SVG (plumb profile, the doctor's live bytes): its styles,
// the zoom/search script and the Content-Security-Policy, beside report.html's.
#pragma once

#include <string>
#include <string_view>

namespace plumb::reports {

// The part of `name` that fits in `width` SVG units at the page's font size ("" when too narrow);
// a UTF-8 sequence is never cut.
std::string flame_label(const std::string& name, double width);

// The whole document: `title`, `subtitle` (omitted when empty), `legend_html`, `svg`, and the
// inline script and style whose SHA-256 hashes are the only sources the policy allows.
std::string flame_page(std::string_view title, std::string_view subtitle, const std::string& svg,
                       const std::string& legend_html);

}  // namespace plumb::reports

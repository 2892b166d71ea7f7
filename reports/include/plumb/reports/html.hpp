// report.html: one self-contained page (inline CSS, JS and SVG) that loads nothing from outside.
#pragma once

#include <string>

#include "plumb/core/model.hpp"

namespace plumb::reports {

// The report as a self-contained HTML page; every tool-derived string is escaped.
std::string render_html(const core::Report& report);

}  // namespace plumb::reports

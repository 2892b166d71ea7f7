// The HTML report's template, stylesheet and script, embedded at build time from reports/html/.
#pragma once

#include <string_view>

namespace plumb::reports::assets {

// reports/html/template.html: the page skeleton with {{PLACEHOLDER}} slots.
std::string_view template_html();

// reports/html/style.css: the page's only stylesheet, inlined into a <style> element.
std::string_view style_css();

// reports/html/app.js: filters and copy buttons, inlined into the page's only <script>.
std::string_view app_js();

}  // namespace plumb::reports::assets

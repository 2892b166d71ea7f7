#include "plumb/reports/flame_page.hpp"

#include <cmath>
#include <string_view>

#include <fmt/format.h>
#include "plumb/reports/csp.hpp"
#include "plumb/reports/escape.hpp"

namespace plumb::reports {

namespace {

constexpr double kCharWidth = 7.0;

constexpr std::string_view kStyle = R"(
body { font-family: sans-serif; margin: 1em; background: #fff; color: #222; }
h1 { font-size: 1.3em; margin: 0 0 0.2em 0; }
.sub, .legend { color: #555; font-size: 0.9em; margin: 0.2em 0; }
.bar { display: flex; gap: 1em; align-items: center; margin: 0.5em 0; font-size: 0.9em; }
#details { font-family: monospace; white-space: pre; min-height: 3.6em; font-size: 0.85em; }
#flame { font-family: monospace; font-size: 12px; }
#flame g.f { cursor: pointer; }
#flame g.f text { pointer-events: none; fill: #000; }
#flame g.f:hover rect { stroke: #000; stroke-width: 0.5; }
)";

// Kept in sync with flame_label(): 7 units per character, 3 units of padding each side.
constexpr std::string_view kScript = R"(
(function () {
  'use strict';
  var svg = document.getElementById('flame');
  var W = parseFloat(svg.getAttribute('data-width'));
  var frames = Array.prototype.slice.call(svg.querySelectorAll('g.f'));
  var details = document.getElementById('details');
  var matched = document.getElementById('matched');
  var search = document.getElementById('search');
  var current = frames[0];
  function num(g, k) { return parseFloat(g.getAttribute('data-' + k)); }
  function label(name, w) {
    var chars = Math.floor((w - 6) / 7);
    if (chars < 3) return '';
    if (name.length <= chars) return name;
    return name.substring(0, chars - 2) + '..';
  }
  function place(g, x, w) {
    var rect = g.querySelector('rect');
    var text = g.querySelector('text');
    rect.setAttribute('x', x.toFixed(3));
    rect.setAttribute('width', w.toFixed(3));
    text.setAttribute('x', (x + 3).toFixed(3));
    text.textContent = label(g.getAttribute('data-name'), w);
  }
  function zoom(target) {
    if (!target) return;
    current = target;
    var tx = num(target, 'x'), tw = num(target, 'w'), td = num(target, 'd');
    var eps = 1e-6 * W;
    frames.forEach(function (g) {
      var x = num(g, 'x'), w = num(g, 'w'), d = num(g, 'd');
      if (d >= td && x >= tx - eps && x + w <= tx + tw + eps) {
        g.removeAttribute('display');
        place(g, (x - tx) / tw * W, w / tw * W);
      } else if (d < td && x <= tx + eps && x + w >= tx + tw - eps) {
        g.removeAttribute('display');
        place(g, 0, W);
      } else {
        g.setAttribute('display', 'none');
      }
    });
    highlight();
  }
  function highlight() {
    var term = search.value.toLowerCase();
    var spans = [];
    var tx = num(current, 'x'), tw = num(current, 'w');
    frames.forEach(function (g) {
      var rect = g.querySelector('rect');
      if (!rect.hasAttribute('data-fill')) rect.setAttribute('data-fill', rect.getAttribute('fill'));
      var hit = term !== '' && g.getAttribute('data-name').toLowerCase().indexOf(term) >= 0;
      rect.setAttribute('fill', hit ? 'rgb(230,0,230)' : rect.getAttribute('data-fill'));
      if (hit) {
        var x0 = Math.max(num(g, 'x'), tx), x1 = Math.min(num(g, 'x') + num(g, 'w'), tx + tw);
        if (x1 > x0) spans.push([x0, x1]);
      }
    });
    if (term === '') { matched.textContent = ''; return; }
    spans.sort(function (a, b) { return a[0] - b[0]; });
    var covered = 0, end = -Infinity;
    spans.forEach(function (s) {
      if (s[0] > end) { covered += s[1] - s[0]; end = s[1]; }
      else if (s[1] > end) { covered += s[1] - end; end = s[1]; }
    });
    matched.textContent = 'matched: ' + (100 * covered / tw).toFixed(2) + '% of the zoomed frame';
  }
  frames.forEach(function (g) {
    g.addEventListener('click', function () { zoom(g); });
    g.addEventListener('mouseenter', function () { details.textContent = g.querySelector('title').textContent; });
  });
  document.getElementById('reset').addEventListener('click', function () { zoom(frames[0]); });
  document.getElementById('clear').addEventListener('click', function () { search.value = ''; highlight(); });
  search.addEventListener('input', highlight);
  zoom(frames[0]);
})();
)";

}  // namespace

std::string flame_label(const std::string& name, double width) {
  const double chars = std::floor((width - 6) / kCharWidth);
  if (chars < 3) {
    return {};
  }
  const auto fit = static_cast<std::size_t>(chars);
  if (name.size() <= fit) {
    return name;
  }
  std::size_t cut = fit - 2;
  // Never cut a UTF-8 sequence in half.
  while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return name.substr(0, cut) + "..";
}

std::string flame_page(std::string_view title_text, std::string_view subtitle, const std::string& svg,
                       const std::string& legend_html) {
  const auto title = escape_html(title_text);
  std::string page = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
      content_security_policy(kScript, kStyle), title, kStyle, title);
  if (!subtitle.empty()) {
    page += fmt::format("<p class=\"sub\">{}</p>\n", escape_html(subtitle));
  }
  page += fmt::format("<p class=\"legend\">{}</p>\n", legend_html);
  page +=
      "<div class=\"bar\"><button id=\"reset\" type=\"button\">Reset zoom</button>"
      "<label>Search <input id=\"search\" type=\"search\" placeholder=\"function name\"></label>"
      "<button id=\"clear\" type=\"button\">Clear</button><span id=\"matched\"></span></div>\n"
      "<div id=\"details\">Hover a frame for its numbers; click to zoom.</div>\n";
  page += svg;
  page += fmt::format("<script>{}</script>\n</body>\n</html>\n", kScript);
  return page;
}

}  // namespace plumb::reports

#include "plumb/reports/terminal.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <string>

#include <fmt/format.h>

#include "format.hpp"
#include "plumb/core/terminal_text.hpp"

namespace plumb::reports {
namespace {

constexpr const char* kReset = "\x1b[0m";
constexpr const char* kBold = "\x1b[1m";
constexpr const char* kRed = "\x1b[31m";
constexpr const char* kGreen = "\x1b[32m";
constexpr const char* kYellow = "\x1b[33m";
constexpr const char* kDim = "\x1b[2m";

// Decorates text with an ANSI style when colour is on.
class Painter {
 public:
  explicit Painter(bool color) : color_(color) {}

  std::string operator()(const char* style, std::string_view text) const {
    return color_ ? std::string(style) + std::string(text) + kReset : std::string(text);
  }

 private:
  bool color_;
};

// Tool output and names may carry escape sequences and newlines; they reach the terminal escaped.
std::string printable(std::string_view text) {
  return core::terminal_safe(text);
}

// Pads to `width` columns counting UTF-8 code points, so names with non-ASCII text still align.
std::string pad(std::string_view text, std::size_t width) {
  std::size_t columns = 0;
  for (const char c : text) {
    columns += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  }
  return std::string(text) + std::string(columns < width ? width - columns : 0, ' ');
}

const char* verdict_style(core::Verdict verdict) {
  switch (verdict) {
    case core::Verdict::Pass:
      return kGreen;
    case core::Verdict::Fail:
      return kRed;
    case core::Verdict::Error:
      break;
  }
  return kYellow;
}

}  // namespace

TerminalStyle detect_terminal_style(int fd) {
  const char* no_color = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  const bool wants_color = (no_color == nullptr || *no_color == '\0') && term != nullptr &&
                           std::string_view(term) != "dumb" && *term != '\0';
  return TerminalStyle{wants_color && ::isatty(fd) == 1};
}

std::string render_terminal_summary(const core::Report& report, const TerminalStyle& style,
                                    std::string_view report_dir) {
  const Painter paint(style.color);
  std::string out;
  out += paint(kBold, "plumb summary") + "\n";

  if (report.variants.empty()) {
    out += "  no variant ran\n";
  } else {
    std::size_t name_width = 7;
    std::size_t tool_width = 4;
    for (const auto& variant : report.variants) {
      name_width = std::max(name_width, printable(variant.name).size());
      tool_width = std::max(tool_width, printable(core::name_of(variant.tool)).size());
    }
    name_width = std::min<std::size_t>(name_width, 40);
    out += paint(kDim, "  " + pad("variant", name_width) + "  " + pad("tool", tool_width) + "  " +
                           pad("verdict", 7) + "  " + pad("status", 10) + "  " +
                           fmt::format("{:>12}", "duration") + "  exit") +
           "\n";
    for (const auto& variant : report.variants) {
      const std::string status(core::to_string(variant.status));
      const std::string verdict(core::to_string(variant.verdict));
      out += "  " + pad(printable(variant.name), name_width) + "  " +
             pad(printable(core::name_of(variant.tool)), tool_width) + "  " +
             paint(verdict_style(variant.verdict), pad(verdict, 7)) + "  " + pad(status, 10) + "  " +
             fmt::format("{:>12}", format_duration(variant.duration_s)) + "  " +
             (variant.exit_code ? std::to_string(*variant.exit_code) : std::string("-"));
      if (!variant.caught.empty()) {
        std::string caught;
        for (const auto& item : variant.caught) {
          caught += (caught.empty() ? "" : "; ") + item;
        }
        out += "  " + paint(kGreen, "caught: " + printable(caught));
      } else if (!variant.note.empty() && variant.status != core::VariantStatus::Ok) {
        out += "  " + paint(kDim, printable(variant.note));
      }
      out += "\n";
    }
  }

  // Sites, not findings: a leak reached through nine call paths is one gating site.
  const auto gating_by_kind = count_sites_by_kind(report, core::Disposition::Gating);
  const auto not_gating = std::count_if(report.sites.begin(), report.sites.end(), [](const core::Site& site) {
    return site.disposition != core::Disposition::Gating;
  });
  if (gating_by_kind.empty()) {
    out += "gating sites: none";
  } else {
    out += "gating sites:";
    for (const auto& [kind, count] : gating_by_kind) {
      out += paint(kRed, fmt::format(" {} {}", core::to_string(kind), count));
    }
  }
  if (not_gating > 0) {
    out += paint(kDim, fmt::format(" ({} not gating: canary, baseline, suppressed or kind)", not_gating));
  }
  out += "\n";

  for (const auto& series : report.growth) {
    if (series.gating) {
      out += paint(kRed, "growth: " + printable(series.variant) + " " + printable(series.metric) + " " +
                             format_rate(series.slope_per_iteration, series.unit, series.axis) +
                             " > threshold " + format_rate(series.threshold, series.unit, series.axis)) +
             "\n";
    }
  }
  for (const auto& truncation : report.truncated) {
    out += "truncated: " + printable(describe_truncation(truncation)) + "\n";
  }
  for (const auto& reason : report.reasons) {
    out += "  - " + std::string(core::to_string(reason.verdict)) + ": " + printable(reason.text) + "\n";
  }
  if (report.shard) {
    out += printable(describe_shard(*report.shard)) + "\n";
  }
  out += "verdict: " + paint(verdict_style(report.verdict), verdict_word(report.verdict)) + "\n";
  if (!report_dir.empty()) {
    std::string dir = printable(report_dir);
    if (dir.back() != '/') {
      dir += '/';
    }
    out += "reports: " + dir + "report.html (also report.json, junit.xml, report.sarif)\n";
  }
  return out;
}

}  // namespace plumb::reports

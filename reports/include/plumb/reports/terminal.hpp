// The summary plumb prints when it ends: variants with their verdicts, gating findings by kind, reasons,
// verdict, report paths.
#pragma once

#include <string>
#include <string_view>

#include "plumb/core/model.hpp"

namespace plumb::reports {

// How the terminal summary may be decorated.
struct TerminalStyle {
  bool color = false;  // ANSI colour escapes allowed.
};

// Colour only when `fd` is a TTY, TERM is not "dumb" and NO_COLOR is unset.
TerminalStyle detect_terminal_style(int fd);

// The end-of-run summary; `report_dir` is where the written reports are.
std::string render_terminal_summary(const core::Report& report, const TerminalStyle& style,
                                    std::string_view report_dir);

}  // namespace plumb::reports

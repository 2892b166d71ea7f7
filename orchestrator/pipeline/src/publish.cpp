// Writing the report set and printing the summary.
#include "plumb/analyze/gate.hpp"
#include "plumb/pipeline/pipeline.hpp"
#include "plumb/reports/terminal.hpp"
#include "plumb/reports/write.hpp"

namespace plumb::pipeline {

int publish(const core::Report& report, const std::filesystem::path& out_dir, std::ostream& terminal,
            bool color) {
  reports::write_reports(report, out_dir);
  terminal << reports::render_terminal_summary(report, reports::TerminalStyle{color}, out_dir.string())
           << std::flush;
  return analyze::exit_code(report);
}

}  // namespace plumb::pipeline

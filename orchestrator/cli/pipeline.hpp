// The pipeline library as the subcommands use it: the report goes to stdout's terminal.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "plumb/pipeline/pipeline.hpp"
#include "plumb/reports/terminal.hpp"

namespace plumb::cli {

using pipeline::analysis_inputs;
using pipeline::kDefaultReportDir;
using pipeline::load_optional_config;
using pipeline::load_project_config;
using pipeline::parse_log_file;

// Writes the report set into `out_dir`, prints the summary on stdout; returns the verdict's exit code.
inline int publish_report(const core::Report& report, const std::filesystem::path& out_dir) {
  return pipeline::publish(report, out_dir, std::cout, reports::detect_terminal_style(STDOUT_FILENO).color);
}

// Runs `plan` with the real process runner (progress on stderr, stopped by SIGINT or SIGTERM),
// writes the report set into its out_dir and prints the summary; returns the exit code.
int run_and_publish(const pipeline::Plan& plan);

}  // namespace plumb::cli

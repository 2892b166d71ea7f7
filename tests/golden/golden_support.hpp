// Where the golden files are and how a golden log is read (shared by the golden test files).
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "plumb/analyze/analyze.hpp"
#include "plumb/parse/parse.hpp"

namespace plumb::golden {

// tests/golden in the source tree.
inline std::filesystem::path golden_dir() {
  return PLUMB_GOLDEN_DIR;
}

// Parses tests/golden/<relative> with the parser of `tool`, failing the test when it cannot be opened.
inline core::ParseResult parse_golden(const std::string& tool, const std::string& relative) {
  std::ifstream in(golden_dir() / relative, std::ios::binary);
  EXPECT_TRUE(in.good()) << relative << " cannot be opened";
  return parse::parse_log(core::require_log_format(tool), in);
}

// One golden log analysed as its own variant (named after its tool), with `inputs` (a baseline,
// say): fingerprints, sites, findings merged by identity, the gate.
inline core::Report analysed(const std::string& tool, const std::string& relative,
                             const analyze::AnalysisInputs& inputs = analyze::AnalysisInputs{}) {
  core::VariantOutcome outcome;
  outcome.result.name = tool;
  outcome.result.tool = core::tool_of_log(tool);
  core::ParsedLog log;
  log.path = relative;
  log.format = core::require_log_format(tool);
  log.reporter = core::spec_of(*log.format).reporter;
  log.result = parse_golden(tool, relative);
  outcome.logs.push_back(std::move(log));
  std::vector<core::VariantOutcome> outcomes;
  outcomes.push_back(std::move(outcome));
  return analyze::analyze(std::move(outcomes), inputs);
}

}  // namespace plumb::golden

#include "verdict_agreement.hpp"

#include <fstream>
#include <iterator>
#include <regex>

#include <nlohmann/json.hpp>

namespace plumb::pipeline::check {
namespace {

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string upper(std::string text) {
  for (auto& c : text) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return text;
}

long attribute_total(const std::string& junit, const char* name) {
  std::smatch match;
  const std::regex pattern(std::string("<testsuites [^>]*") + name + "=\"([0-9]+)\"");
  return std::regex_search(junit, match, pattern) ? std::stol(match[1]) : -1;
}

}  // namespace

FileVerdicts read_verdicts(const std::filesystem::path& dir) {
  FileVerdicts out;
  out.json = nlohmann::json::parse(read(dir / "report.json")).value("verdict", "");

  const std::string junit = read(dir / "junit.xml");
  const long errors = attribute_total(junit, "errors");
  const long failures = attribute_total(junit, "failures");
  out.junit = errors > 0 ? "error" : (failures > 0 ? "fail" : "pass");
  const bool has_error_element = junit.find("<error ") != std::string::npos;
  const bool has_failure_element = junit.find("<failure ") != std::string::npos;
  if ((errors > 0) != has_error_element || (failures > 0) != has_failure_element) {
    out.problems += "junit.xml: its totals disagree with its cases; ";
  }

  const auto sarif = nlohmann::json::parse(read(dir / "report.sarif"));
  const auto& run = sarif["runs"][0];
  out.sarif = run["properties"].value("verdict", "");
  bool unsuppressed_error = false;
  for (const auto& result : run["results"]) {
    unsuppressed_error =
        unsuppressed_error || (result.value("level", "") == "error" && !result.contains("suppressions"));
  }
  bool all_executed = true;
  for (const auto& invocation : run["invocations"]) {
    all_executed = all_executed && invocation.value("executionSuccessful", false);
  }
  if (out.sarif == "pass" && unsuppressed_error) {
    out.problems += "report.sarif: an unsuppressed error-level result on a pass; ";
  }
  if ((out.sarif == "error") == all_executed) {
    out.problems += "report.sarif: executionSuccessful disagrees with its verdict; ";
  }

  const std::string html = read(dir / "report.html");
  std::smatch match;
  if (std::regex_search(html, match, std::regex("id=\"verdict\" data-verdict=\"([a-z]+)\""))) {
    out.html = match[1];
  }
  if (html.find("<title>plumb report: " + upper(out.html) + "</title>") == std::string::npos) {
    out.problems += "report.html: the title does not say the banner's verdict; ";
  }
  if (out.html == "pass" && html.find("gating sites</span>") != std::string::npos) {
    out.problems += "report.html: a pass that counts gating sites; ";
  }
  return out;
}

}  // namespace plumb::pipeline::check

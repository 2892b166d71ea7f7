// Reading the verdict back out of each file of a report set, so a test can prove they agree.
#pragma once

#include <filesystem>
#include <string>

namespace plumb::pipeline::check {

// What each file of a report set says the verdict is, in report.json's spelling.
struct FileVerdicts {
  std::string json;      // report.json "verdict".
  std::string junit;     // error when any <error>, fail when any <failure>, else pass.
  std::string sarif;     // runs[0].properties.verdict, checked against its results and invocations.
  std::string html;      // The banner's data-verdict, checked against the <title>.
  std::string problems;  // Anything inside one file that contradicts itself; empty when none.
};

// The verdicts of the report set in `dir`.
FileVerdicts read_verdicts(const std::filesystem::path& dir);

}  // namespace plumb::pipeline::check

// Whether plumb may write its reports into a folder: what it is, and what it already holds.
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <fstream>
#include <string>

#include "plumb/core/errors.hpp"
#include "plumb/core/output_dir.hpp"

namespace plumb::core {
namespace {

// A report file plumb writes and a text every version of it holds, by which plumb knows its own.
struct ReportFile {
  std::string_view name;
  std::string_view signature;
};

constexpr std::array<ReportFile, 4> kReportFiles = {{
    {"report.json", "\"plumb.report/"},
    {"report.html", "plumb.report/"},
    {"junit.xml", "plumb.run_id"},
    {"report.sarif", "(plumb finding kind "},
}};

// Whether the file at `path` holds `needle` (read in blocks, so a large report costs no memory).
bool file_contains(const std::filesystem::path& path, std::string_view needle) {
  std::ifstream in(path, std::ios::binary);
  std::string window;
  std::array<char, 1 << 16> block{};
  while (in) {
    in.read(block.data(), block.size());
    window.append(block.data(), static_cast<std::size_t>(in.gcount()));
    if (window.find(needle) != std::string::npos) {
      return true;
    }
    window.erase(0, window.size() > needle.size() ? window.size() - needle.size() : 0);
  }
  return false;
}

// The same folder as `path` after links are resolved, or the path made absolute when it cannot be.
std::filesystem::path resolved(const std::filesystem::path& path) {
  std::error_code error;
  std::filesystem::path result = std::filesystem::weakly_canonical(std::filesystem::absolute(path), error);
  return error ? std::filesystem::absolute(path).lexically_normal() : result;
}

[[noreturn]] void refuse(const std::filesystem::path& dir, const std::string& why) {
  throw UsageError("--out " + dir.string() + " " + why);
}

void check_entry(const std::filesystem::path& dir, const std::string& name, const ReportFolderRules& rules) {
  const std::filesystem::path path = dir / name;
  struct stat entry {};
  if (::lstat(path.c_str(), &entry) != 0) {
    return;  // gone meanwhile
  }
  const auto report = std::find_if(kReportFiles.begin(), kReportFiles.end(),
                                   [&](const ReportFile& file) { return file.name == name; });
  const bool plumb_name = report != kReportFiles.end() || name == kLockFile || name == kOwnedMarker ||
                          name == kBuildLogs ||
                          std::find(rules.judged_elsewhere.begin(), rules.judged_elsewhere.end(), name) !=
                              rules.judged_elsewhere.end();
  if (S_ISLNK(entry.st_mode)) {
    if (plumb_name) {
      refuse_link(path);
    }
    refuse(dir, "holds " + path.string() +
                    ", a symbolic link plumb did not make; plumb writes only into a "
                    "folder of its own: move it away or choose another --out");
  }
  if (report != kReportFiles.end()) {
    if (!S_ISREG(entry.st_mode) || !file_contains(path, report->signature)) {
      refuse(dir, "holds " + path.string() +
                      ", which plumb did not write; plumb will not replace it: "
                      "move it away or choose another --out");
    }
    return;
  }
  if ((name == kLockFile || name == kOwnedMarker) && S_ISREG(entry.st_mode)) {
    return;
  }
  if (S_ISDIR(entry.st_mode)) {
    if (name == kBuildLogs || is_owned_dir(path) ||
        std::find(rules.judged_elsewhere.begin(), rules.judged_elsewhere.end(), name) !=
            rules.judged_elsewhere.end()) {
      return;  // its content is checked when plumb replaces or writes into it
    }
    refuse(dir, "holds the folder " + path.string() + ", which plumb did not make (no " +
                    std::string(kOwnedMarker) +
                    " in it); plumb writes only into a folder of its own: "
                    "move it away or choose another --out");
  }
  refuse(dir, "holds " + path.string() +
                  ", which plumb did not write; plumb writes only into a folder of "
                  "its own: move it away or choose another --out");
}

}  // namespace

void check_report_folder(const std::filesystem::path& dir, const ReportFolderRules& rules) {
  const std::filesystem::path target = resolved(dir);
  if (target == target.root_path()) {
    refuse(dir, "is the root folder; choose a folder of its own, such as ./plumb-report");
  }
  const char* home = std::getenv("HOME");
  if (home != nullptr && *home != '\0' && target == resolved(home)) {
    refuse(dir, "is your home folder ($HOME); choose a folder of its own, such as ./plumb-report");
  }
  for (const auto& [path, what] : rules.reserved) {
    if (!path.empty() && target == resolved(path)) {
      refuse(dir, "is " + what + "; choose a folder of its own, such as " + (path / "plumb-report").string());
    }
  }
  std::error_code error;
  if (!std::filesystem::exists(std::filesystem::symlink_status(dir, error))) {
    return;
  }
  if (!std::filesystem::is_directory(dir, error)) {
    return;  // creating the folder fails and says so
  }
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    check_entry(dir, name, rules);
  }
}

}  // namespace plumb::core

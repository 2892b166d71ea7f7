#include "plumb/analyze/paths.hpp"

namespace plumb::analyze {

std::string normalize_source_path(const std::string& file, const std::filesystem::path& root) {
  if (file.empty()) {
    return file;
  }
  const std::filesystem::path normal = std::filesystem::path(file).lexically_normal();
  if (normal.is_absolute() && !root.empty()) {
    const std::filesystem::path relative = normal.lexically_relative(root.lexically_normal());
    if (!relative.empty() && *relative.begin() != ".." && relative != ".") {
      return relative.string();
    }
  }
  std::string text = normal.string();
  if (text.size() > 1 && text.back() == '/') {
    text.pop_back();  // "a/b/.." normalizes to "a/"
  }
  return text;
}

void normalize_source_paths(core::Report& report, const std::filesystem::path& root) {
  for (core::Finding& finding : report.findings) {
    for (core::Frame& frame : finding.frames) {
      frame.file = normalize_source_path(frame.file, root);
    }
    for (auto& stack : finding.related_stacks) {
      for (core::Frame& frame : stack) {
        frame.file = normalize_source_path(frame.file, root);
      }
    }
  }
  for (core::GrowthSeries& series : report.growth) {
    for (core::GrowthSite& site : series.sites) {
      site.file = normalize_source_path(site.file, root);
    }
  }
}

}  // namespace plumb::analyze

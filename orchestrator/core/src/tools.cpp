#include "plumb/core/tools.hpp"

#include <algorithm>

namespace plumb::core {

const ToolSpec* find_tool(std::string_view name) {
  for (const ToolSpec& tool : kTools) {
    if (tool.name == name) {
      return &tool;
    }
  }
  return nullptr;
}

bool is_report_exit_code(std::string_view tool, int exit_code) {
  const ToolSpec* spec = find_tool(tool);
  return spec != nullptr && spec->report_exit_code != 0 && exit_code == spec->report_exit_code;
}

namespace {

// Whether `name` is `wrapper` itself, or `wrapper` followed by a version made of digits and dots.
bool names_wrapper(std::string_view name, std::string_view wrapper) {
  if (name.substr(0, wrapper.size()) != wrapper) {
    return false;
  }
  const std::string_view version = name.substr(wrapper.size());
  return std::all_of(version.begin(), version.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
}

}  // namespace

bool is_wrapper_program(std::string_view program, const std::vector<std::string>& extra) {
  const std::size_t slash = program.rfind('/');
  const std::string_view name = slash == std::string_view::npos ? program : program.substr(slash + 1);
  if (name.empty()) {
    return false;
  }
  return std::any_of(std::begin(kWrapperPrograms), std::end(kWrapperPrograms),
                     [&](std::string_view wrapper) { return names_wrapper(name, wrapper); }) ||
         std::any_of(extra.begin(), extra.end(), [&](const std::string& wrapper) { return names_wrapper(name, wrapper); });
}

std::vector<std::string> tool_names() {
  std::vector<std::string> names;
  for (const ToolSpec& tool : kTools) {
    names.emplace_back(tool.name);
  }
  return names;
}

std::vector<std::string> log_format_names() {
  return {std::begin(kLogFormats), std::end(kLogFormats)};
}

std::string spelled_list(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    out += (i == 0 ? "" : (i + 1 == names.size() ? " or " : ", ")) + names[i];
  }
  return out;
}

}  // namespace plumb::core

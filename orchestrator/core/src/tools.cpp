#include "plumb/core/tools.hpp"

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

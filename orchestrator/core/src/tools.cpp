#include "plumb/core/tools.hpp"

#include <algorithm>

#include "plumb/core/errors.hpp"

namespace plumb::core {
namespace {

// Whether every row of `table` stands at the index of its id and the last is that of `last`: one
// row per enum value, in enum order, which is what lets name_of and spec_of index the tables.
template <typename Row, std::size_t N, typename Enum>
constexpr bool one_row_per_value(const Row (&table)[N], Enum last) {
  for (std::size_t i = 0; i < N; ++i) {
    if (static_cast<std::size_t>(table[i].id) != i) {
      return false;
    }
  }
  return N == static_cast<std::size_t>(last) + 1;
}

// Doctor and Samples are the last values of their enums: a value added after them moves these.
static_assert(one_row_per_value(kTools, Tool::Doctor), "kTools: one row per Tool, in enum order");
static_assert(one_row_per_value(kLogFormats, LogFormat::Samples),
              "kLogFormats: one row per LogFormat, in enum order");
static_assert(one_row_per_value(kReporters, Reporter::Heaptrack), "kReporters: one row per Reporter, in enum order");

// The id of the row of `table` named `name`, or nullopt.
template <typename Row, std::size_t N>
auto id_named(const Row (&table)[N], std::string_view name) -> std::optional<decltype(table[0].id)> {
  for (const Row& row : table) {
    if (row.name == name) {
      return row.id;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<Tool> tool_named(std::string_view name) {
  return id_named(kTools, name);
}

Tool require_tool(std::string_view name) {
  if (const std::optional<Tool> tool = tool_named(name); tool && spec_of(*tool).runs_programs) {
    return *tool;
  }
  throw UsageError("unknown tool '" + std::string(name) + "' (expected " + spelled_list(tool_names()) + ")");
}

std::string_view name_of(Tool tool) {
  return spec_of(tool).name;
}

const ToolSpec& spec_of(Tool tool) {
  return kTools[static_cast<std::size_t>(tool)];
}

std::optional<LogFormat> log_format_named(std::string_view name) {
  return id_named(kLogFormats, name);
}

LogFormat require_log_format(std::string_view name) {
  if (const std::optional<LogFormat> format = log_format_named(name)) {
    return *format;
  }
  throw UsageError("unknown tool \"" + std::string(name) + "\" (expected " +
                   spelled_list(log_format_names()) + ")");
}

std::string_view name_of(LogFormat format) {
  return spec_of(format).name;
}

const LogFormatSpec& spec_of(LogFormat format) {
  return kLogFormats[static_cast<std::size_t>(format)];
}

std::optional<Reporter> reporter_named(std::string_view name) {
  return id_named(kReporters, name);
}

std::string_view name_of(Reporter reporter) {
  return spec_of(reporter).name;
}

const ReporterSpec& spec_of(Reporter reporter) {
  return kReporters[static_cast<std::size_t>(reporter)];
}

Reporter reporter_of(Tool tool) {
  switch (tool) {
    case Tool::Memcheck:
      return Reporter::Memcheck;
    case Tool::Massif:
      return Reporter::Massif;
    case Tool::Asan:
      return Reporter::Asan;
    case Tool::Tsan:
      return Reporter::Tsan;
    case Tool::Native:
      return Reporter::Native;
    case Tool::Doctor:
      break;
  }
  return Reporter::Doctor;
}

std::vector<std::string> names_of(const std::vector<Reporter>& reporters) {
  std::vector<std::string> names;
  for (const Reporter reporter : reporters) {
    names.emplace_back(name_of(reporter));
  }
  return names;
}

bool by_name(Reporter a, Reporter b) {
  return name_of(a) < name_of(b);
}

std::vector<std::string> reporter_names() {
  std::vector<std::string> names;
  for (const ReporterSpec& reporter : kReporters) {
    names.emplace_back(reporter.name);
  }
  return names;
}

Tool tool_of_log(std::string_view name) {
  if (const std::optional<Tool> tool = tool_named(name)) {
    return *tool;
  }
  return spec_of(require_log_format(name)).written_under;
}

bool is_report_exit_code(Tool tool, int exit_code) {
  const ToolSpec& spec = spec_of(tool);
  return spec.report_exit_code != 0 && exit_code == spec.report_exit_code;
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
    if (tool.runs_programs) names.emplace_back(tool.name);
  }
  return names;
}

std::vector<std::string> log_format_names() {
  std::vector<std::string> names;
  for (const LogFormatSpec& format : kLogFormats) {
    names.emplace_back(format.name);
  }
  return names;
}

std::string spelled_list(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    out += (i == 0 ? "" : (i + 1 == names.size() ? " or " : ", ")) + names[i];
  }
  return out;
}

}  // namespace plumb::core

#include "plumb/profile/perf_script.hpp"

#include <algorithm>

#include "plumb/core/errors.hpp"

namespace plumb::profile {

namespace {

// "    55d0 spectre::scan(int)+0x1f (/usr/bin/scan_leak)" -> "spectre::scan(int)", or the
// "[unknown]" frame named after its object file so that unsymbolized code is still grouped.
struct PerfFrame {
  std::string function;
  bool kernel = false;
};

std::string base_name(std::string_view path) {
  const auto slash = path.find_last_of('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

PerfFrame parse_frame(std::string_view line) {
  const auto start = line.find_first_not_of(" \t");
  line.remove_prefix(start);
  const auto address_end = line.find_first_of(" \t");
  std::string_view rest = address_end == std::string_view::npos ? std::string_view{} : line.substr(address_end + 1);
  rest.remove_prefix(std::min(rest.size(), rest.find_first_not_of(" \t")));
  std::string_view object;
  if (!rest.empty() && rest.back() == ')') {
    const auto open = rest.rfind(" (");
    if (open != std::string_view::npos) {
      object = rest.substr(open + 2, rest.size() - open - 3);
      rest = rest.substr(0, open);
    }
  }
  const auto offset = rest.rfind("+0x");
  if (offset != std::string_view::npos &&
      rest.find_first_not_of("0123456789abcdef", offset + 3) == std::string_view::npos) {
    rest = rest.substr(0, offset);
  }
  PerfFrame frame;
  frame.kernel = object == "[kernel.kallsyms]";
  if (rest.empty() || rest == "[unknown]") {
    frame.function = object.empty() || object == "[unknown]" ? "[unknown]" : "[" + base_name(object) + "]";
  } else {
    frame.function = sanitize_frame(rest);
  }
  return frame;
}

// The command of a header line "comm  pid/tid  time: period event:": everything before the pid.
std::string command_of(std::string_view header) {
  // The command may contain spaces, so find the first all-digit word (the pid, maybe "pid/tid").
  std::size_t position = 0;
  while (position < header.size()) {
    const auto begin = header.find_first_not_of(" \t", position);
    if (begin == std::string_view::npos) {
      break;
    }
    const auto end = std::min(header.size(), header.find_first_of(" \t", begin));
    const auto word = header.substr(begin, end - begin);
    if (begin > 0 && word.find_first_not_of("0123456789/") == std::string_view::npos) {
      auto command = header.substr(0, begin);
      command = command.substr(0, command.find_last_not_of(" \t") + 1);
      return sanitize_frame(command);
    }
    position = end;
  }
  return sanitize_frame(header.substr(0, header.find_first_of(" \t")));
}

}  // namespace

FoldedProfile fold_perf_script(std::istream& in, const std::string& source, const PerfFoldOptions& options) {
  FoldedProfile profile;
  std::string line;
  long number = 0;
  bool in_sample = false;
  std::string command;
  Stack innermost_first;
  const auto finish_sample = [&] {
    if (!in_sample) {
      return;
    }
    Stack stack;
    if (options.include_command) {
      stack.push_back(command);
    }
    stack.insert(stack.end(), innermost_first.rbegin(), innermost_first.rend());
    profile.add(stack, 1);
    innermost_first.clear();
    in_sample = false;
  };
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (line.find_first_not_of(" \t") == std::string::npos) {
      finish_sample();
      continue;
    }
    if (line.front() == '#') {
      continue;  // perf script --header comments.
    }
    if (line.front() == ' ' || line.front() == '\t') {
      if (!in_sample) {
        throw core::UsageError(core::located_message(source, number, "a stack frame without a sample header before it"));
      }
      auto frame = parse_frame(line);
      if (frame.kernel && !options.include_kernel) {
        continue;
      }
      innermost_first.push_back(std::move(frame.function));
      continue;
    }
    finish_sample();
    in_sample = true;
    command = command_of(line);
  }
  finish_sample();
  return profile;
}

}  // namespace plumb::profile

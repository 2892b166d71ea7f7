#include "plumb/run/wrapped.hpp"
#include "plumb/run/process.hpp"

#include <cstdlib>

#include <algorithm>
#include <array>
#include <fstream>

#include "plumb/core/tools.hpp"

namespace plumb::run {
namespace {

// How much of a memcheck log's start is read to find its program (the preamble is a few KiB).
constexpr std::size_t kPreambleBytes = 64 * 1024;

bool is_elf(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::array<char, 4> magic{};
  in.read(magic.data(), magic.size());
  return in.gcount() == 4 && magic == std::array<char, 4>{'\x7f', 'E', 'L', 'F'};
}

// The words of a shell command line, split at blanks with single and double quotes honoured
// (enough to find a program's path in `sh -c "prog --flag"`; no expansion is attempted).
std::vector<std::string> shell_words(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (const char c : text) {
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else {
        word += c;
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|') {
      if (in_word) {
        words.push_back(word);
      }
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) {
    words.push_back(word);
  }
  return words;
}

std::string xml_unescaped(std::string text) {
  static constexpr std::array<std::pair<std::string_view, char>, 5> kEntities = {
      {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}}};
  for (const auto& [entity, c] : kEntities) {
    for (std::size_t at = text.find(entity); at != std::string::npos; at = text.find(entity, at + 1)) {
      text.replace(at, entity.size(), 1, c);
    }
  }
  return text;
}

bool is_inside(const std::filesystem::path& file, const std::filesystem::path& folder) {
  if (folder.empty()) {
    return false;
  }
  const std::filesystem::path relative = file.lexically_normal().lexically_relative(folder.lexically_normal());
  return !relative.empty() && *relative.begin() != "..";
}

}  // namespace

bool is_wrapper(const std::filesystem::path& program, const std::vector<std::string>& wrappers) {
  if (core::is_wrapper_program(program.string(), wrappers)) {
    return true;
  }
  std::error_code error;
  return std::filesystem::is_regular_file(program, error) && !is_elf(program);
}

std::filesystem::path resolve_program(const std::string& program, const std::filesystem::path& cwd) {
  const std::filesystem::path path = program;
  if (!path.has_parent_path()) {
    const std::filesystem::path found = find_on_path(program, std::getenv("PATH"));
    return found.empty() ? path : found;
  }
  return path.is_relative() ? cwd / path : path;
}

std::optional<std::vector<std::filesystem::path>> wrapped_programs(const std::vector<std::string>& command,
                                                                   const std::filesystem::path& cwd,
                                                                   const std::filesystem::path& build_tree,
                                                                   const std::vector<std::string>& wrappers) {
  if (command.empty()) {
    return std::nullopt;
  }
  const std::filesystem::path first = command.front();
  if (!is_wrapper(first.is_relative() && first.has_parent_path() ? cwd / first : first, wrappers)) {
    return std::nullopt;
  }
  std::vector<std::filesystem::path> programs;
  for (std::size_t i = 1; i < command.size(); ++i) {
    const bool script = command[i - 1] == "-c" || command[i].find(' ') != std::string::npos;
    for (const std::string& word : script ? shell_words(command[i]) : std::vector<std::string>{command[i]}) {
      const std::size_t equals = word.find('=');
      // NAME=VALUE (env, cmake -E env) and --option=VALUE name no program.
      if (word.empty() || (equals != std::string::npos && word.find('/') > equals)) {
        continue;
      }
      const std::filesystem::path candidate =
          std::filesystem::path(word).is_relative() ? (cwd / word).lexically_normal() : std::filesystem::path(word);
      std::error_code error;
      if (std::filesystem::is_regular_file(candidate, error) && is_elf(candidate) &&
          !core::is_wrapper_program(candidate.string(), wrappers) &&
          std::find(programs.begin(), programs.end(), candidate) == programs.end()) {
        programs.push_back(candidate);
      }
    }
  }
  const bool any_built = std::any_of(programs.begin(), programs.end(),
                                     [&](const std::filesystem::path& program) { return is_inside(program, build_tree); });
  if (any_built) {
    std::erase_if(programs, [&](const std::filesystem::path& program) { return !is_inside(program, build_tree); });
  }
  return programs;
}

std::size_t followed_processes(const std::filesystem::path& out_dir) {
  std::size_t count = 0;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(out_dir, error)) {
    const std::string name = entry.path().filename().string();
    count += name.starts_with("memcheck.") && name.ends_with(".xml") ? 1 : 0;
  }
  return count;
}

std::optional<LoggedProcess> memcheck_log_process(const std::filesystem::path& log) {
  std::ifstream in(log, std::ios::binary);
  std::string text(kPreambleBytes, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  const std::size_t argv = text.find("<argv>");
  if (argv == std::string::npos) {
    return std::nullopt;
  }
  const std::size_t open = text.find("<exe>", argv);
  const std::size_t close = text.find("</exe>", argv);
  if (open == std::string::npos || close == std::string::npos || close < open) {
    return std::nullopt;
  }
  LoggedProcess process;
  process.program = xml_unescaped(text.substr(open + 5, close - open - 5));
  const auto number = [&](std::string_view tag) -> long {
    const std::size_t at = text.find(tag);
    if (at == std::string::npos || at > argv) {
      return 0;
    }
    long value = 0;
    for (std::size_t i = at + tag.size(); i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  process.pid = number("<pid>");
  process.ppid = number("<ppid>");
  return process;
}

}  // namespace plumb::run

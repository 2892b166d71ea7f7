#include "plumb/run/shell.hpp"

#include <algorithm>

namespace plumb::run {

std::string backslash_escaped(std::string_view text, char quote) {
  constexpr const char* kDigits = "0123456789abcdef";
  std::string escaped;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\\' || c == quote) {
      escaped += '\\';
      escaped += c;
    } else if (c == '\n') {
      escaped += "\\n";
    } else if (c == '\t') {
      escaped += "\\t";
    } else if (byte < 0x20 || byte == 0x7F) {
      escaped += "\\x";
      escaped += kDigits[byte >> 4];
      escaped += kDigits[byte & 0x0F];
    } else {
      escaped += c;
    }
  }
  return escaped;
}

std::string shell_quote(std::string_view text) {
  const bool plain = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("-_./=:,+%@").find(c) != std::string_view::npos;
  });
  if (plain) {
    return std::string(text);
  }
  const bool has_control = std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7F;
  });
  if (has_control) return "$'" + backslash_escaped(text, '\'') + "'";
  std::string quoted = "'";
  for (const char c : text) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

std::string shell_command(const std::vector<std::string>& argv) {
  std::string line;
  for (const std::string& arg : argv) {
    if (!line.empty()) {
      line += ' ';
    }
    line += shell_quote(arg);
  }
  return line;
}

std::string repro_line(const std::filesystem::path& cwd, const std::map<std::string, std::string>& env,
                       const std::vector<std::string>& argv) {
  std::string line;
  if (!cwd.empty()) {
    line = "cd " + shell_quote(cwd.string()) + " && ";
  }
  for (const auto& [key, value] : env) {
    line += key + "=" + shell_quote(value) + " ";
  }
  return line + shell_command(argv);
}

}  // namespace plumb::run

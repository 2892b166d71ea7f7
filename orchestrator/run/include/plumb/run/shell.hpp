// Commands as a shell would read them, for reports and reproduction lines.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace plumb::run {

// `text` quoted for a POSIX shell (unchanged when it needs no quoting); text holding a control
// character is ANSI-C quoted ($'..\x1b..\n..', bash, zsh, ksh and POSIX.1-2024 sh), so the line
// pastes back exactly and prints no control character.
std::string shell_quote(std::string_view text);

// `text` with backslash escapes for backslash, `quote` and every control character (\n, \t, \xNN),
// as bash's $'..', C and Python string literals read them; the quotes themselves are the caller's.
std::string backslash_escaped(std::string_view text, char quote);

// The argv as one shell command line.
std::string shell_command(const std::vector<std::string>& argv);

// "cd DIR && K=V ... argv" — a line a developer pastes to reproduce one run.
std::string repro_line(const std::filesystem::path& cwd, const std::map<std::string, std::string>& env,
                       const std::vector<std::string>& argv);

}  // namespace plumb::run

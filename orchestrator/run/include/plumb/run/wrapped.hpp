// Wrapped test commands (`bash run.sh prog`, `sh -c "prog ..."`, `env VAR=1 prog`, `cmake -E env
// VAR=1 prog`, `python3 drive.py prog`): the program a wrapper runs, and which per-process logs
// are a wrapper's own.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace plumb::run {

// Whether `program` is a wrapper (core::is_wrapper_program with `wrappers` added) or a file that is
// not an ELF executable (a script run directly): it runs the program under test, it is not it.
bool is_wrapper(const std::filesystem::path& program, const std::vector<std::string>& wrappers);

// `program` as a command names it, as a path: a name without a folder found on PATH (itself when
// not found), a relative path read from `cwd`.
std::filesystem::path resolve_program(const std::string& program, const std::filesystem::path& cwd);

// The programs `command` runs through its wrapper, as far as its arguments tell: every argument
// (and every word of a `-c` script or of an argument holding spaces) that names an ELF executable
// which is not itself a wrapper, relative paths read from `cwd`; only those inside `build_tree` when
// some are. Nullopt when argv[0] is no wrapper (it is the program); empty when nothing can be told.
std::optional<std::vector<std::filesystem::path>> wrapped_programs(const std::vector<std::string>& command,
                                                                   const std::filesystem::path& cwd,
                                                                   const std::filesystem::path& build_tree,
                                                                   const std::vector<std::string>& wrappers);

// How many processes a memcheck run that follows children has started so far (its memcheck.<pid>.xml
// files in `out_dir`), for progress lines.
std::size_t followed_processes(const std::filesystem::path& out_dir);

// The process a memcheck XML log is of, as its preamble names it.
struct LoggedProcess {
  std::string program;  // The <exe> in its <argv>.
  long pid = 0;         // <pid> and <ppid>; 0 when the preamble gives none.
  long ppid = 0;
};

// The process a memcheck XML log is of, or nullopt when its start names no program.
std::optional<LoggedProcess> memcheck_log_process(const std::filesystem::path& log);

}  // namespace plumb::run

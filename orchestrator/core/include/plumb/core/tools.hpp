// The one table of the tools plumb runs programs under, and of the log formats it reads; every
// option check, config check, message and adapter dispatch reads these, none spells its own list.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace plumb::core {

// A tool a variant or `plumb exec` runs its program under.
struct ToolSpec {
  std::string_view name;            // As configured and reported: "memcheck", "asan", ...
  std::string_view log_format;      // The parser of its main log ("memcheck", "asan", ...); empty: none.
  std::string_view runtime_symbol;  // What an instrumented program references ("__asan_init"); empty: none.
  std::string_view runtime_name;    // The runtime, for messages ("AddressSanitizer"); empty: none.
  std::string_view slow_because;    // What usually makes a run under it slow, and what to do.
  int report_exit_code = 0;         // The exit code plumb has it end with once it reported an error; 0: none
                             // (memcheck runs with --error-exitcode=0: a non-zero exit is the program's).
  double slowdown = 1;       // How many times its native time a test may take under it: a CTest TIMEOUT
                             // is scaled by it (the high end of what the tool usually costs).
};

// Every tool, in the order messages list them.
inline constexpr ToolSpec kTools[] = {
    {"memcheck", "memcheck", "", "",
     "memcheck runs a program 20-50x slower than natively and serializes its threads; "
     "--track-origins=yes about doubles that; give this tier a smaller workload or a larger timeout_s",
     0, 50},
    {"massif", "massif", "", "",
     "massif serializes threads and records every allocation; allocation-heavy loops pay the most; "
     "give this tier a smaller workload or a larger timeout_s",
     0, 50},
    // x15: plumb unwinds every malloc (fast_unwind_on_malloc=0), x11-x14 on allocation churn
    // (bench/asan-unwind-cost); libexpat's runtests ran past x10 under it.
    {"asan", "asan", "__asan_init", "AddressSanitizer",
     "ASan costs about 2x, up to 15x on allocation-heavy code (plumb unwinds every malloc: "
     "fast_unwind_on_malloc=0); give this tier a smaller workload or a larger timeout_s",
     23, 15},
    {"tsan", "tsan", "__tsan_init", "ThreadSanitizer",
     "TSan checks every memory access and slows most with many threads spinning on shared data "
     "(busy-wait loops, spin locks); run fewer threads or iterations in this tier, or a larger timeout_s",
     66, 20},
    {"native", "", "", "",
     "no tool is involved: the program itself is slow here (or waits on something); "
     "its samples and stderr.log show how far it got"},
};

// Programs a test command may go through on the way to the program it tests (shells, env,
// cmake -E env, interpreters running a driver script, libtool): a run follows what they start and
// never judges them. Matched by file name; "python3" also matches "python3.11" (digits and dots).
// The config adds names (project.wrappers).
inline constexpr std::string_view kWrapperPrograms[] = {"sh",   "bash",   "dash",    "zsh",  "ksh",
                                                        "env",  "cmake",  "python",  "perl", "libtool",
                                                        "nice", "stdbuf", "timeout", "time"};

// The log formats `plumb parse` and the pipeline read, each by its parser.
inline constexpr std::string_view kLogFormats[] = {"memcheck", "massif", "asan",   "lsan",
                                                   "ubsan",    "tsan",   "samples"};

// The tool named `name`, or nullptr.
const ToolSpec* find_tool(std::string_view name);

// Whether `exit_code` is the code plumb has `tool` end with once it reported an error (ASan 23,
// TSan 66): the exit is the tool's, not the program's. False for a tool without one, or unknown.
bool is_report_exit_code(std::string_view tool, int exit_code);

// Whether `program` (a path or a name) is a wrapper: its file name is one of kWrapperPrograms or
// `extra`, or one of them followed by a version ("python3", "python3.11", "perl5.36").
bool is_wrapper_program(std::string_view program, const std::vector<std::string>& extra);

// The names of every tool, for an option's allowed values.
std::vector<std::string> tool_names();

// The names of every log format, for an option's allowed values.
std::vector<std::string> log_format_names();

// Names for a message: "memcheck, massif, asan, tsan or native".
std::string spelled_list(const std::vector<std::string>& names);

}  // namespace plumb::core

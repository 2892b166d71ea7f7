// The one table of the tools plumb runs programs under, and of the log formats it reads; every
// option check, config check, message and adapter dispatch reads these, none spells its own list.
// Code that chooses behaviour per tool or per format switches over Tool or LogFormat without a
// default, so a value added to an enum is a -Wswitch error at every place that must decide for it.
// Names are strings only at the edges: the config, the command line and report.json convert with
// require_tool / tool_named (unknown is an error there); the config, the plan, the process spec and
// the model's VariantResult carry a Tool, a log spec its LogFormat, a finding and a parsed log the
// Reporter whose words they are.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace plumb::core {

// A tool a report's run went under: one a variant or `plumb exec` runs its program under, or the
// doctor's watch of a process; kTools has its row at its index.
enum class Tool { Memcheck, Massif, Asan, Tsan, Native, Doctor };

// A log format `plumb parse` and the pipeline read, each by its parser; kLogFormats has its row at its index.
enum class LogFormat { Memcheck, Massif, Asan, Lsan, Ubsan, Tsan, Samples };

// A tool a variant or `plumb exec` runs its program under.
struct ToolSpec {
  Tool id;                          // Its row's index in kTools.
  std::string_view name;            // As configured and reported: "memcheck", "asan", ...
  std::string_view runtime_symbol;  // What an instrumented program references ("__asan_init"); empty: none.
  std::string_view runtime_name;    // The runtime, for messages ("AddressSanitizer"); empty: none.
  std::string_view slow_because;    // What usually makes a run under it slow, and what to do.
  int report_exit_code = 0;         // The exit code plumb has it end with once it reported an error; 0: none
                             // (memcheck runs with --error-exitcode=0: a non-zero exit is the program's).
  double slowdown = 1;       // How many times its native time a test may take under it: a CTest TIMEOUT
                             // is scaled by it (the high end of what the tool usually costs).
  int kill_grace_s = 0;      // How long a run it timed out is given between SIGTERM and SIGKILL, when
                             // longer than plumb's default: valgrind checks for leaks and writes the
                             // end of its log after the signal (5.5 s for 2 million blocks), and a
                             // SIGKILL in the middle would leave the log cut off and its findings lost.
  bool runs_programs = true;  // A variant or `plumb exec` may run under it (false: the doctor's watch).
};

// Every tool, in the order messages list them.
inline constexpr ToolSpec kTools[] = {
    // x100: memcheck's own high end (x50) doubled by --track-origins=yes, which plumb passes (x2.8 on
    // libexpat's tests alone). Measured in CPU time with plumb's options: libexpat's runtests x163,
    // its first of twelve passes x40 (most of it in a phase of large blocks, 2.3 GB under memcheck);
    // the scanner's scan loop x35.
    {Tool::Memcheck, "memcheck", "", "",
     "memcheck runs a program 20-50x slower than natively and serializes its threads; "
     "--track-origins=yes (plumb's default) about doubles that; give this tier a smaller workload or a "
     "larger timeout_s",
     0, 100, 60},
    {Tool::Massif, "massif", "", "",
     "massif serializes threads and records every allocation; allocation-heavy loops pay the most; "
     "give this tier a smaller workload or a larger timeout_s",
     0, 50, 60},
    // x15: plumb unwinds every malloc (fast_unwind_on_malloc=0), x11-x14 on allocation churn
    // (bench/asan-unwind-cost); libexpat's runtests ran past x10 under it.
    {Tool::Asan, "asan", "__asan_init", "AddressSanitizer",
     "ASan costs about 2x, up to 15x on allocation-heavy code (plumb unwinds every malloc: "
     "fast_unwind_on_malloc=0); give this tier a smaller workload or a larger timeout_s",
     23, 15},
    {Tool::Tsan, "tsan", "__tsan_init", "ThreadSanitizer",
     "TSan checks every memory access and slows most with many threads spinning on shared data "
     "(busy-wait loops, spin locks); run fewer threads or iterations in this tier, or a larger timeout_s",
     66, 20},
    {Tool::Native, "native", "", "",
     "no tool is involved: the program itself is slow here (or waits on something); "
     "its samples and stderr.log show how far it got"},
    {Tool::Doctor, "doctor", "", "", "plumb doctor watches a process for as long as it is asked to", 0, 1, 0,
     false},
};

// Programs a test command may go through on the way to the program it tests (shells, env,
// cmake -E env, interpreters running a driver script, libtool): a run follows what they start and
// never judges them. Matched by file name; "python3" also matches "python3.11" (digits and dots).
// The config adds names (project.wrappers).
inline constexpr std::string_view kWrapperPrograms[] = {"sh",   "bash",   "dash",    "zsh",  "ksh",
                                                        "env",  "cmake",  "python",  "perl", "libtool",
                                                        "nice", "stdbuf", "timeout", "time"};

// Who a finding or a parsed log speaks for: a finding's `tools`, a log's writer. Finer than Tool
// (an ASan run's leaks are LeakSanitizer's, valgrind's XML may be helgrind's) and wider (the
// harness's samples, the doctor's /proc watch, heaptrack's trace); kReporters has its row at its index.
enum class Reporter { Memcheck, Helgrind, Drd, Massif, Asan, Lsan, Ubsan, Tsan, Msan, Native, Samples, Doctor, Heaptrack };

// A reporter and what its words are.
struct ReporterSpec {
  Reporter id;            // Its row's index in kReporters.
  std::string_view name;  // As report.json, SARIF and every page spell it: "memcheck", "lsan", ...
  bool valgrind = false;  // A valgrind tool: its errors are named by <kind> and described as "Address 0x..".
};

// Every reporter, in the order messages list them.
inline constexpr ReporterSpec kReporters[] = {
    {Reporter::Memcheck, "memcheck", true}, {Reporter::Helgrind, "helgrind", true}, {Reporter::Drd, "drd", true},
    {Reporter::Massif, "massif", true},     {Reporter::Asan, "asan"},               {Reporter::Lsan, "lsan"},
    {Reporter::Ubsan, "ubsan"},             {Reporter::Tsan, "tsan"},               {Reporter::Msan, "msan"},
    {Reporter::Native, "native"},           {Reporter::Samples, "samples"},         {Reporter::Doctor, "doctor"},
    {Reporter::Heaptrack, "heaptrack"},
};

// A log format and the name a log's parser goes by (`plumb parse --tool`).
struct LogFormatSpec {
  LogFormat id;           // Its row's index in kLogFormats.
  std::string_view name;  // "memcheck", "lsan", "samples", ...
  Tool written_under;     // The tool whose runs write it (`plumb parse` reports its logs under it).
  Reporter reporter;      // Whose words its findings are, where the log does not say (valgrind's XML may).
};

// Every log format, in the order messages list them.
inline constexpr LogFormatSpec kLogFormats[] = {
    {LogFormat::Memcheck, "memcheck", Tool::Memcheck, Reporter::Memcheck},
    {LogFormat::Massif, "massif", Tool::Massif, Reporter::Massif},
    {LogFormat::Asan, "asan", Tool::Asan, Reporter::Asan},
    {LogFormat::Lsan, "lsan", Tool::Asan, Reporter::Lsan},
    {LogFormat::Ubsan, "ubsan", Tool::Asan, Reporter::Ubsan},
    {LogFormat::Tsan, "tsan", Tool::Tsan, Reporter::Tsan},
    {LogFormat::Samples, "samples", Tool::Native, Reporter::Samples},
};

// The tool named `name` (any row, the doctor's too: as report.json names them), or nullopt.
std::optional<Tool> tool_named(std::string_view name);

// The tool named `name` that programs run under; throws core::UsageError naming those tools for any
// other name (a config's or the command line's tool).
Tool require_tool(std::string_view name);

// The name `tool` is configured and reported by ("memcheck").
std::string_view name_of(Tool tool);

// The row of `tool` in kTools.
const ToolSpec& spec_of(Tool tool);

// The log format named `name`, or nullopt.
std::optional<LogFormat> log_format_named(std::string_view name);

// The log format named `name`; throws core::UsageError naming the formats there are for any other
// name (an unknown "tool", as `plumb parse --tool` calls a format).
LogFormat require_log_format(std::string_view name);

// The name `format`'s parser goes by ("lsan").
std::string_view name_of(LogFormat format);

// The row of `format` in kLogFormats.
const LogFormatSpec& spec_of(LogFormat format);

// The reporter named `name`, or nullopt.
std::optional<Reporter> reporter_named(std::string_view name);

// The name a report spells `reporter` by ("lsan").
std::string_view name_of(Reporter reporter);

// The row of `reporter` in kReporters.
const ReporterSpec& spec_of(Reporter reporter);

// The reporter whose words a crash of a run under `tool` are: the tool's own (a run under asan: asan).
Reporter reporter_of(Tool tool);

// The names of `reporters`, in their order (what a page or a report prints of a finding's tools).
std::vector<std::string> names_of(const std::vector<Reporter>& reporters);

// Reporters by their names, as a finding's list of them is kept: sorted, each once.
bool by_name(Reporter a, Reporter b);

// The names of every reporter, for a message.
std::vector<std::string> reporter_names();

// The tool a log comes from, named by the tool ("memcheck", "native", "doctor") or by its log
// format ("lsan": asan); throws core::UsageError naming the log formats for any other name.
Tool tool_of_log(std::string_view name);

// Whether `exit_code` is the code plumb has `tool` end with once it reported an error (ASan 23,
// TSan 66): the exit is the tool's, not the program's. False for a tool without one.
bool is_report_exit_code(Tool tool, int exit_code);

// Whether `program` (a path or a name) is a wrapper: its file name is one of kWrapperPrograms or
// `extra`, or one of them followed by a version ("python3", "python3.11", "perl5.36").
bool is_wrapper_program(std::string_view program, const std::vector<std::string>& extra);

// The names of every tool programs run under, for an option's allowed values.
std::vector<std::string> tool_names();

// The names of every log format, for an option's allowed values.
std::vector<std::string> log_format_names();

// Names for a message: "memcheck, massif, asan, tsan or native".
std::string spelled_list(const std::vector<std::string>& names);

}  // namespace plumb::core

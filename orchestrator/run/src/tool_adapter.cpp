#include "plumb/run/tool_adapter.hpp"

#include <algorithm>
#include <stdexcept>

#include "plumb/core/tools.hpp"

namespace plumb::run {
namespace {

// "suppressions=FILE" when FILE exists; tools refuse to start on a missing suppression file.
std::string optional_file(const std::filesystem::path& dir, const char* name) {
  const std::filesystem::path file = dir / name;
  return !dir.empty() && std::filesystem::is_regular_file(file) ? file.string() : std::string();
}

// KEY=VALUE pairs joined with ':' the way the sanitizers read their *_OPTIONS.
std::string sanitizer_options(std::vector<std::string> options, const std::vector<std::string>& extra) {
  options.insert(options.end(), extra.begin(), extra.end());
  std::string joined;
  for (const std::string& option : options) {
    if (!joined.empty()) {
      joined += ':';
    }
    joined += option;
  }
  return joined;
}

ToolInvocation valgrind(std::vector<std::string> tool_argv, const std::vector<std::string>& command,
                        const ToolContext& context) {
  ToolInvocation invocation;
  invocation.argv = {"valgrind"};
  invocation.argv.insert(invocation.argv.end(), tool_argv.begin(), tool_argv.end());
  // One text log for every process: valgrind reopens only one of --log-file and --xml-file in a
  // forked child, and with %p in both it keeps the XML fd, so children's XML lands in the
  // parent's file. With a fixed --log-file each child gets its own memcheck.<pid>.xml.
  invocation.argv.push_back("--log-file=" + (context.out_dir / "valgrind.log").string());
  // No gdbserver: plumb never attaches one, and valgrind killed at a timeout would leave its vgdb
  // FIFOs in $TMPDIR, files plumb did not mean to make. A user's own --vgdb in tool_args still wins.
  invocation.argv.push_back("--vgdb=no");
  invocation.argv.insert(invocation.argv.end(), context.tool_args.begin(), context.tool_args.end());
  invocation.argv.insert(invocation.argv.end(), command.begin(), command.end());
  invocation.logs.push_back(LogSpec{"valgrind.log", "", std::nullopt, false, false, ""});
  return invocation;
}

ToolInvocation memcheck(const std::vector<std::string>& command, const ToolContext& context) {
  std::vector<std::string> options = {
      "--tool=memcheck",
      "--xml=yes",
      "--xml-file=" + (context.out_dir / "memcheck.%p.xml").string(),
      "--leak-check=full",
      "--show-leak-kinds=all",
      "--track-origins=yes",
      "--num-callers=40",
      // Forked children write their own memcheck.<pid>.xml and are judged too.
      "--child-silent-after-fork=no",
      "--track-fds=yes",
      "--error-exitcode=0",
  };
  if (const std::string supp = optional_file(context.native_suppressions, "valgrind.supp"); !supp.empty()) {
    options.push_back("--suppressions=" + supp);
  }
  if (context.follow_children) {
    // Into every program exec'd, wrappers included: valgrind runs whatever a skipped program starts
    // natively (--trace-children-skip prunes the whole tree), so a wrapper is followed and its own
    // log (memcheck.<pid>.xml of a wrapper's process) is set aside instead (run/wrapped.hpp).
    options.push_back("--trace-children=yes");
  }
  ToolInvocation invocation = valgrind(std::move(options), command, context);
  invocation.logs.insert(invocation.logs.begin(),
                         LogSpec{"memcheck.", ".xml", core::LogFormat::Memcheck, true, false,
                                 "valgrind wrote no memcheck XML: it did not start (see stderr.log)"});
  return invocation;
}

ToolInvocation massif(const std::vector<std::string>& command, const ToolContext& context) {
  ToolInvocation invocation =
      valgrind({"--tool=massif", "--massif-out-file=" + (context.out_dir / "massif.out.%p").string(),
                "--detailed-freq=1"},
               command, context);
  invocation.logs.insert(invocation.logs.begin(),
                         LogSpec{"massif.out.", "", core::LogFormat::Massif, true, false,
                                 "valgrind wrote no massif file: it did not start (see stderr.log)"});
  return invocation;
}

// ASan, LSan and UBSan share one runtime in a clang build, and with it one log_path and one
// exitcode: every *_OPTIONS names the same ones, so whichever the runtime reads last, reports land
// in asan.<pid> and a leak exits 23. No halt_on_error=0: with it the runtime exits 0 on a leak.
// atexit + print_stats make every instrumented process that reaches exit write "AddressSanitizer
// exit stats", the proof that the runtime ran (a clean run otherwise writes nothing at all).
// fast_unwind_on_malloc=0: the slow unwinder, so a leak's allocation stack reaches user code in a
// program built without frame pointers (the fast one stops inside inlined library code). It
// costs per allocation (bench/asan-unwind-cost: x11-x14 on pure allocation churn, nothing
// measurable on scan_leak); a project built with frame pointers may pass fast_unwind_on_malloc=1
// in tool_args, which come last and win.
// "exitcode=N" with the code the tools table gives the tool (what the gate reads back).
std::string exit_code_option(core::Tool tool) {
  return "exitcode=" + std::to_string(core::spec_of(tool).report_exit_code);
}

ToolInvocation asan(const std::vector<std::string>& command, const ToolContext& context) {
  const std::string asan_exit_code = exit_code_option(core::Tool::Asan);
  ToolInvocation invocation;
  invocation.argv = command;
  const std::string log_path = "log_path=" + (context.out_dir / "asan").string();
  invocation.env["ASAN_OPTIONS"] =
      sanitizer_options({log_path, "detect_leaks=1", asan_exit_code, "handle_abort=1", "atexit=1",
                         "print_stats=1", "fast_unwind_on_malloc=0"},
                        context.tool_args);
  std::vector<std::string> lsan = {log_path, asan_exit_code, "print_suppressions=0"};
  if (const std::string supp = optional_file(context.native_suppressions, "lsan.supp"); !supp.empty()) {
    lsan.insert(lsan.begin(), "suppressions=" + supp);
  }
  invocation.env["LSAN_OPTIONS"] = sanitizer_options(lsan, {});
  std::vector<std::string> ubsan = {log_path, asan_exit_code, "print_stacktrace=1"};
  if (const std::string supp = optional_file(context.native_suppressions, "ubsan.supp"); !supp.empty()) {
    ubsan.push_back("suppressions=" + supp);
  }
  invocation.env["UBSAN_OPTIONS"] = sanitizer_options(ubsan, {});
  invocation.logs = {
      LogSpec{
          "asan.", "", core::LogFormat::Asan, true, false,
          "no process loaded the AddressSanitizer runtime and reached its exit (no asan.<pid> log with "
          "its exit stats or a report): the program is not instrumented, or it died before its leak check"},
      // gcc's libubsan, linked beside libasan, ignores log_path: its reports go to stderr.
      LogSpec{"stderr.log", "", core::LogFormat::Ubsan, false, true, ""}};
  return invocation;
}

ToolInvocation tsan(const std::vector<std::string>& command, const ToolContext& context) {
  const std::string tsan_exit_code = exit_code_option(core::Tool::Tsan);
  ToolInvocation invocation;
  invocation.argv = command;
  // print_module_map=1 makes the runtime write its memory map into every instrumented process's
  // log at exit (_exit too): the proof that it ran, since a clean run writes no report. Not
  // verbosity=1, whose banner opens the log at start-up: the runtime opens it without O_CLOEXEC,
  // so every program the test execs inherits a descriptor it never opened, and a test that checks
  // its children's descriptors (leveldb's env_posix_test) fails only under plumb.
  std::vector<std::string> options = {"log_path=" + (context.out_dir / "tsan").string(),
                                      "report_thread_leaks=1",
                                      "halt_on_error=0",
                                      tsan_exit_code,
                                      "second_deadlock_stack=1",
                                      "print_module_map=1"};
  if (const std::string supp = optional_file(context.native_suppressions, "tsan.supp"); !supp.empty()) {
    options.push_back("suppressions=" + supp);
  }
  invocation.env["TSAN_OPTIONS"] = sanitizer_options(options, context.tool_args);
  invocation.logs = {
      LogSpec{"tsan.", "", core::LogFormat::Tsan, true, false,
              "no process loaded the ThreadSanitizer runtime (no tsan.<pid> log): the program is not "
              "instrumented"}};
  return invocation;
}

}  // namespace

ToolInvocation adapt_tool(core::Tool tool, const std::vector<std::string>& command, const ToolContext& context) {
  switch (tool) {
    case core::Tool::Memcheck:
      return memcheck(command, context);
    case core::Tool::Massif:
      return massif(command, context);
    case core::Tool::Asan:
      return asan(command, context);
    case core::Tool::Tsan:
      return tsan(command, context);
    case core::Tool::Native:
      break;
    case core::Tool::Doctor:
      throw std::logic_error("adapt_tool: the doctor's watch runs no program under a tool");
  }
  return ToolInvocation{command, {}, {}};  // native: the command as it is
}

bool log_matches(const LogSpec& spec, std::string_view name) {
  return name.size() >= spec.prefix.size() + spec.suffix.size() &&
         name.substr(0, spec.prefix.size()) == spec.prefix &&
         name.substr(name.size() - spec.suffix.size()) == spec.suffix;
}

}  // namespace plumb::run

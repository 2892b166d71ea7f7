#include "plumb/run/tool_adapter.hpp"

#include <algorithm>

#include "plumb/core/errors.hpp"

namespace plumb::run {
namespace {

constexpr std::string_view kTools[] = {"memcheck", "massif", "asan", "tsan", "native"};

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
  invocation.argv.push_back("--log-file=" + (context.out_dir / "valgrind.%p.log").string());
  invocation.argv.insert(invocation.argv.end(), context.tool_args.begin(), context.tool_args.end());
  invocation.argv.insert(invocation.argv.end(), command.begin(), command.end());
  invocation.logs.push_back(LogSpec{"valgrind.", ".log", "", false});
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
      "--child-silent-after-fork=yes",
      "--track-fds=yes",
      "--error-exitcode=0",
  };
  if (const std::string supp = optional_file(context.native_suppressions, "valgrind.supp"); !supp.empty()) {
    options.push_back("--suppressions=" + supp);
  }
  ToolInvocation invocation = valgrind(std::move(options), command, context);
  invocation.logs.insert(invocation.logs.begin(), LogSpec{"memcheck.", ".xml", "memcheck", true});
  return invocation;
}

ToolInvocation massif(const std::vector<std::string>& command, const ToolContext& context) {
  ToolInvocation invocation =
      valgrind({"--tool=massif", "--massif-out-file=" + (context.out_dir / "massif.out.%p").string(),
                "--detailed-freq=1"},
               command, context);
  invocation.logs.insert(invocation.logs.begin(), LogSpec{"massif.out.", "", "massif", true});
  return invocation;
}

ToolInvocation asan(const std::vector<std::string>& command, const ToolContext& context) {
  ToolInvocation invocation;
  invocation.argv = command;
  invocation.env["ASAN_OPTIONS"] = sanitizer_options(
      {"log_path=" + (context.out_dir / "asan").string(), "detect_leaks=1", "exitcode=23", "halt_on_error=0",
       "handle_abort=1"},
      context.tool_args);
  std::vector<std::string> lsan = {"print_suppressions=0"};
  if (const std::string supp = optional_file(context.native_suppressions, "lsan.supp"); !supp.empty()) {
    lsan.insert(lsan.begin(), "suppressions=" + supp);
  }
  invocation.env["LSAN_OPTIONS"] = sanitizer_options(lsan, {});
  std::vector<std::string> ubsan = {"log_path=" + (context.out_dir / "ubsan").string(), "print_stacktrace=1",
                                    "halt_on_error=0"};
  if (const std::string supp = optional_file(context.native_suppressions, "ubsan.supp"); !supp.empty()) {
    ubsan.push_back("suppressions=" + supp);
  }
  invocation.env["UBSAN_OPTIONS"] = sanitizer_options(ubsan, {});
  // A clean sanitizer run writes no log at all, so none is required; canaries prove the tool alive.
  invocation.logs = {LogSpec{"asan.", "", "asan", false}, LogSpec{"ubsan.", "", "ubsan", false}};
  return invocation;
}

ToolInvocation tsan(const std::vector<std::string>& command, const ToolContext& context) {
  ToolInvocation invocation;
  invocation.argv = command;
  std::vector<std::string> options = {"log_path=" + (context.out_dir / "tsan").string(),
                                      "report_thread_leaks=1", "halt_on_error=0", "exitcode=66",
                                      "second_deadlock_stack=1"};
  if (const std::string supp = optional_file(context.native_suppressions, "tsan.supp"); !supp.empty()) {
    options.push_back("suppressions=" + supp);
  }
  invocation.env["TSAN_OPTIONS"] = sanitizer_options(options, context.tool_args);
  invocation.logs = {LogSpec{"tsan.", "", "tsan", false}};
  return invocation;
}

}  // namespace

bool is_known_tool(std::string_view tool) {
  return std::find(std::begin(kTools), std::end(kTools), tool) != std::end(kTools);
}

ToolInvocation adapt_tool(std::string_view tool, const std::vector<std::string>& command,
                          const ToolContext& context) {
  if (tool == "memcheck") {
    return memcheck(command, context);
  }
  if (tool == "massif") {
    return massif(command, context);
  }
  if (tool == "asan") {
    return asan(command, context);
  }
  if (tool == "tsan") {
    return tsan(command, context);
  }
  if (tool == "native") {
    return ToolInvocation{command, {}, {}};
  }
  throw core::UsageError("unknown tool '" + std::string(tool) +
                         "' (expected memcheck, massif, asan, tsan or native)");
}

bool log_matches(const LogSpec& spec, std::string_view name) {
  return name.size() >= spec.prefix.size() + spec.suffix.size() &&
         name.substr(0, spec.prefix.size()) == spec.prefix &&
         name.substr(name.size() - spec.suffix.size()) == spec.suffix;
}

}  // namespace plumb::run

#include "plumb/doctor/heaptrack_recorder.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string_view>
#include <system_error>
#include <thread>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plumb/core/errors.hpp"
#include "plumb/core/strings.hpp"
#include "plumb/core/text_file.hpp"
#include "plumb/doctor/gdb_call.hpp"
#include "plumb/doctor/inject_hazard.hpp"
#include "plumb/doctor/proc_sample.hpp"

namespace plumb::doctor {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

// How long gdb may take to attach, call into the process and detach.
constexpr auto kGdbTimeout = std::chrono::seconds(60);
// How long a call waits for a moment when some thread of the process is outside heaptrack and the
// allocator (each try attaches gdb anew).
constexpr auto kSafeThreadPatience = std::chrono::seconds(30);
// How long the writer may take to finish the trace once the process let go of the pipe.
constexpr auto kWriterTimeout = std::chrono::seconds(60);

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// `name` on PATH, or an empty path.
fs::path on_path(const std::string& name) {
  return run::find_on_path(name, std::getenv("PATH"));
}

std::string read_text(const fs::path& path) {
  return core::read_text_file(path).value_or("");
}

// The line of gdb's output that says why it failed, or "".
std::string gdb_failure(const std::string& output) {
  static constexpr std::string_view kSigns[] = {"ptrace:", "Could not attach", "not permitted", "No symbol",
                                                "Cannot ", "No such process", "error", "Error"};
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    for (const auto sign : kSigns) {
      if (line.find(sign) != std::string::npos) return line;
    }
  }
  return {};
}

// The process state letter of /proc/<pid>/stat, or '?'.
char state_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  std::getline(in, stat);
  const auto fields = parse_stat(stat);
  return fields ? fields->state : '?';
}

// Whether `pid` runs with the dynamic loader mapped (ld-linux, ld-musl): only then can a library be
// loaded into it; calling into a static program's own dlopen may crash it.
bool is_dynamic(pid_t pid) {
  std::ifstream maps("/proc/" + std::to_string(pid) + "/maps");
  std::string line;
  while (std::getline(maps, line)) {
    const auto slash = line.rfind('/');
    if (slash == std::string::npos) continue;
    const std::string_view name = std::string_view(line).substr(slash + 1);
    if (name.rfind("ld-linux", 0) == 0 || name.rfind("ld-musl", 0) == 0 || name.rfind("ld.so", 0) == 0 ||
        name.rfind("ld64.so", 0) == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::optional<HeaptrackTools> find_heaptrack(std::string& why) {
  const fs::path heaptrack = on_path("heaptrack");
  if (heaptrack.empty()) {
    why = "heaptrack is not installed (no heaptrack on PATH; Debian: apt-get install heaptrack)";
    return std::nullopt;
  }
  std::error_code error;
  const fs::path prefix = fs::canonical(heaptrack, error).parent_path().parent_path();
  HeaptrackTools tools;
  for (const fs::path& lib : {prefix / "lib" / "heaptrack", prefix / "lib64" / "heaptrack"}) {
    if (fs::exists(lib / "libheaptrack_inject.so")) {
      tools.inject_library = lib / "libheaptrack_inject.so";
      tools.preload_library = lib / "libheaptrack_preload.so";
      tools.interpreter = lib / "libexec" / "heaptrack_interpret";
      tools.env_helper = lib / "libexec" / "heaptrack_env";
    }
  }
  if (tools.inject_library.empty() || !fs::exists(tools.interpreter)) {
    why = "heaptrack's libraries are not where its program says (" + (prefix / "lib" / "heaptrack").string() +
          ": no libheaptrack_inject.so or libexec/heaptrack_interpret)";
    return std::nullopt;
  }
  tools.zstd = on_path("zstd");
  if (tools.zstd.empty()) {
    why = "zstd is not installed (heaptrack's traces are zstd-compressed; Debian: apt-get install zstd)";
    return std::nullopt;
  }
  tools.gdb = on_path("gdb");
  return tools;
}

Recording::Recording(run::ProcessRunner& runner, const HeaptrackTools& tools, fs::path trace)
    : runner_(runner), tools_(tools), trace_(std::move(trace)) {
  const char* tmp = std::getenv("TMPDIR");
  std::string folder = (fs::path(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") / "plumb-doctor-XXXXXX").string();
  if (mkdtemp(folder.data()) == nullptr) {
    throw core::InfrastructureError("plumb doctor: cannot make a folder for heaptrack's pipe in " +
                                    fs::path(folder).parent_path().string() + ": " + std::strerror(errno));
  }
  folder_ = folder;
  pipe_ = folder_ / "heaptrack.fifo";
  if (mkfifo(pipe_.c_str(), 0600) != 0) {
    const std::string reason = std::strerror(errno);
    fs::remove_all(folder_);
    throw core::InfrastructureError("plumb doctor: cannot make the pipe " + pipe_.string() + ": " + reason);
  }
  // The shell only joins the two programs; it blocks opening the pipe until heaptrack writes to it.
  run::ProcessSpec writer;
  writer.argv = {"/bin/sh", "-c", "exec < \"$1\"; \"$0\" | \"$2\" -q -c", tools_.interpreter.string(),
                 pipe_.string(), tools_.zstd.string()};
  writer.stdout_path = trace_;
  writer.stderr_path = trace_.string() + ".stderr";
  writer.log_root = trace_.parent_path();
  try {
    writer_ = runner_.start(writer);
  } catch (...) {
    fs::remove_all(folder_);
    throw;
  }
}

Recording::~Recording() {
  if (writer_ && !writer_->poll()) {
    run::terminate_group(*writer_, std::chrono::milliseconds(500));
  }
  std::error_code ignored;
  fs::remove(pipe_, ignored);
  fs::remove(folder_, ignored);
}

std::map<std::string, std::string> Recording::preload_environment() const {
  const char* preload = std::getenv("LD_PRELOAD");
  std::string libraries = tools_.preload_library.string();
  if (preload != nullptr && *preload != '\0') libraries += std::string(":") + preload;
  return {{"LD_PRELOAD", libraries}, {"DUMP_HEAPTRACK_OUTPUT", pipe_.string()}};
}

bool Recording::holds_pipe(pid_t pid) const {
  std::error_code error;
  const fs::path fds = "/proc/" + std::to_string(pid) + "/fd";
  for (fs::directory_iterator it(fds, error), end; !error && it != end; it.increment(error)) {
    std::error_code link_error;
    if (fs::read_symlink(it->path(), link_error) == pipe_) return true;
  }
  return false;
}

std::string Recording::run_gdb(pid_t pid, const std::vector<std::string>& arguments, const std::string& log_name) {
  const fs::path log = trace_.parent_path() / log_name;
  if (tools_.gdb.empty()) return "gdb is not installed (heaptrack attaches through gdb; Debian: apt-get install gdb)";
  const char before = state_of(pid);
  run::ProcessSpec spec;
  spec.argv = {tools_.gdb.string(), "--batch", "-n", "-iex", "set auto-solib-add off", "-p", std::to_string(pid)};
  spec.argv.insert(spec.argv.end(), arguments.begin(), arguments.end());
  spec.env["DEBUGINFOD_URLS"] = "";
  const fs::path errors = log.string() + ".stderr";
  spec.stdout_path = log;
  spec.stderr_path = errors;
  spec.log_root = log.parent_path();
  auto gdb = runner_.start(spec);
  auto exit = run::wait_for(*gdb, kGdbTimeout);
  std::string timed_out;
  if (!exit) {
    run::terminate_group(*gdb, std::chrono::seconds(5));
    timed_out = "gdb did not finish within " + std::to_string(kGdbTimeout.count()) + " s";
  }
  // gdb resumes what it attached to when it detaches; a process it left stopped is resumed here,
  // so that it runs on as it did.
  const char after = state_of(pid);
  if ((after == 'T' || after == 't') && before != 'T' && before != 't') kill(pid, SIGCONT);
  if (!timed_out.empty()) return timed_out;
  return gdb_failure(read_text(errors) + "\n" + read_text(log));
}

std::string Recording::call_in_process(pid_t pid, const std::vector<std::string>& commands,
                                       const std::string& log_name) {
  const fs::path log = trace_.parent_path() / log_name;
  const fs::path script = fs::path(log).replace_extension(".py");
  {
    std::ofstream out(script);
    out << gdb_call_script(commands);
    if (!out) return "cannot write gdb's script " + script.string();
  }
  const auto start = Clock::now();
  for (;;) {
    const std::string failure = run_gdb(pid, {"-x", script.string()}, log_name);
    switch (gdb_call_result(read_text(log) + "\n" + read_text(log.string() + ".stderr"))) {
      case GdbCallResult::Called:
        return {};
      case GdbCallResult::NoPython: {
        // Without Python the thread cannot be chosen: gdb's default one, as heaptrack -p does.
        std::vector<std::string> arguments = {"-ex", "sharedlibrary libc.so", "-ex", "sharedlibrary libheaptrack_inject",
                                              "-ex", "sharedlibrary libheaptrack_preload"};
        for (const auto& command : commands) {
          arguments.push_back("-ex");
          arguments.push_back(command);
        }
        arguments.push_back("-ex");
        arguments.push_back("detach");
        return run_gdb(pid, arguments, log_name);
      }
      case GdbCallResult::NoSafeThread:
        if (Clock::now() - start > kSafeThreadPatience) {
          return "no thread of pid " + std::to_string(pid) + " was outside heaptrack and the allocator within " +
                 std::to_string(kSafeThreadPatience.count()) + " s (" + log.string() + ")";
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        break;
      case GdbCallResult::Unknown:
        return failure.empty() ? "gdb ended without making the call (" + log.string() + ")" : failure;
    }
  }
}

std::string Recording::attach(pid_t pid) {
  const auto start = Clock::now();
  // heaptrack's library blocks opening the pipe until a reader has it: without the writer running,
  // the process would hang in heaptrack_inject.
  if (writer_->poll()) return "heaptrack's trace writer ended before the attach (" + trace_.string() + ".stderr)";
  if (!is_dynamic(pid)) {
    return "pid " + std::to_string(pid) +
           " is a statically linked program (no dynamic loader in its maps): heaptrack's library cannot be loaded "
           "into it";
  }
  const fs::path program = fs::path("/proc") / std::to_string(pid) / "exe";
  if (const auto hooks = canonical_plt_hooks(program); !hooks.empty()) {
    std::error_code error;
    const fs::path resolved = fs::read_symlink(program, error);
    return "pid " + std::to_string(pid) + " runs " + (error ? program.string() : resolved.string()) +
           ", a program built without -fPIE that takes the address of " + core::join(hooks) +
           " (its own PLT entries stand for them): heaptrack's hooks would call themselves through those "
           "entries until the stack overflowed, killing the process (heaptrack -p does), so plumb did not "
           "attach. Start it under the doctor instead (plumb doctor --sites -- COMMAND): heaptrack is then "
           "preloaded, not injected, and this does not apply";
  }
  // heaptrack's own helper says how to load a library into a process with this libc.
  std::string dlopen = "dlopen(\"" + tools_.inject_library.string() + "\", 0x2)";
  if (fs::exists(tools_.env_helper)) {
    run::ProcessSpec helper;
    helper.argv = {tools_.env_helper.string(), "dlopen", tools_.inject_library.string()};
    helper.stdout_path = folder_ / "dlopen.txt";
    auto process = runner_.start(helper);
    if (const auto exit = run::wait_for(*process, std::chrono::seconds(10)); exit && exit->exit_code == 0) {
      std::string call = read_text(folder_ / "dlopen.txt");
      while (!call.empty() && (call.back() == '\n' || call.back() == ' ')) call.pop_back();
      if (!call.empty()) dlopen = call;
    } else if (!exit) {
      run::terminate_group(*process, std::chrono::seconds(1));
    }
    std::error_code ignored;
    fs::remove(folder_ / "dlopen.txt", ignored);
  }
  const std::string failure = call_in_process(pid,
                                              {"call (void*) " + dlopen, "sharedlibrary libheaptrack_inject",
                                               "call (void) heaptrack_inject(\"" + pipe_.string() + "\")"},
                                              "gdb-attach.log");
  std::string result = await_connection(pid, 5);
  attach_s_ = seconds_since(start);
  if (!result.empty() && !failure.empty()) {
    result = "gdb could not load heaptrack into pid " + std::to_string(pid) + ": " + failure +
             " (ptrace needs the same user or CAP_SYS_PTRACE and kernel.yama.ptrace_scope 0; a static program "
             "cannot load a library)";
  }
  return result;
}

std::string Recording::await_connection(pid_t pid, double timeout_s) {
  const auto start = Clock::now();
  while (seconds_since(start) < timeout_s) {
    if (holds_pipe(pid)) return {};
    if (writer_->poll()) return "heaptrack's trace writer ended before the process connected";
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return "heaptrack did not start writing from pid " + std::to_string(pid) + " within " +
         std::to_string(static_cast<int>(timeout_s)) + " s";
}

StopOutcome Recording::stop(pid_t pid) {
  StopOutcome outcome;
  const auto start = Clock::now();
  std::string failure;
  if (holds_pipe(pid)) {
    failure = call_in_process(pid, {"call (void) heaptrack_stop()"}, "gdb-stop.log");
  }
  outcome.stopped = !holds_pipe(pid);
  const auto exit = run::wait_for(*writer_, outcome.stopped ? std::chrono::milliseconds(kWriterTimeout)
                                                             : std::chrono::milliseconds(0));
  outcome.writer_finished = exit.has_value() && exit->exit_code == 0;
  outcome.seconds = seconds_since(start);
  if (!outcome.stopped) {
    outcome.problem = "heaptrack in pid " + std::to_string(pid) + " did not stop recording" +
                      (failure.empty() ? std::string() : ": " + failure);
  } else if (!outcome.writer_finished) {
    outcome.problem = exit ? "heaptrack's trace writer failed (" + trace_.string() + ".stderr)"
                           : "heaptrack's trace writer did not finish within " +
                                 std::to_string(kWriterTimeout.count()) + " s";
  }
  return outcome;
}

}  // namespace plumb::doctor

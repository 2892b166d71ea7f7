#include "plumb/doctor/gdb_call.hpp"

#include "plumb/run/shell.hpp"

namespace plumb::doctor {

namespace {

// The script's body; COMMANDS is defined before it. Each thread is unwound (libc, libstdc++ and
// heaptrack's libraries have their unwind tables loaded first) and sorted:
//   heaptrack's  a thread heaptrack started (its timer): a stop called there would join itself;
//   inside       stopped in heaptrack's code, maybe holding its lock: let run to the return address
//                of its outermost heaptrack frame (a breakpoint for that thread only), then free;
//   allocator    stopped in libc's allocator, maybe holding an arena lock;
//   unknown      the unwinder could not reach the thread's outermost frame;
//   free         none of these.
constexpr std::string_view kScriptBody = R"PY(
import os
import signal
import threading

import gdb

PATIENCE_S = 20  # how long a thread inside heaptrack may take to leave it
HEAPTRACK = "libheaptrack"
RUNTIME = ("libc.so", "libc-", "libstdc++", "libgcc_s", "libpthread", "ld-linux", "libm.so")
ALLOCATOR = ("malloc", "free", "calloc", "realloc", "memalign", "valloc", "_int_", "arena", "tcache")


def say(text):
    gdb.write("plumb-gdb: " + text + "\n")
    gdb.flush()


def module(pc):
    return gdb.solib_name(pc) or ""


def unwind(thread):
    thread.switch()
    stack = []
    frame = gdb.newest_frame()
    while frame is not None and len(stack) < 2048:
        stack.append(frame)
        try:
            frame = frame.older()
        except gdb.error:
            return stack, False
    ended = stack[-1].unwind_stop_reason() in (gdb.FRAME_UNWIND_NO_REASON, gdb.FRAME_UNWIND_OUTERMOST)
    return stack, frame is None and ended


def classify(thread):
    stack, whole = unwind(thread)
    modules = [module(frame.pc()) for frame in stack]
    if not whole:
        return "unknown", None
    owner = next((m for m in reversed(modules) if not any(r in m for r in RUNTIME)), "")
    if HEAPTRACK in owner:
        return "heaptrack's", None
    ours = [i for i, m in enumerate(modules) if HEAPTRACK in m]
    if ours:
        outer = ours[-1]
        if outer + 1 < len(stack):
            return "inside", stack[outer + 1].pc()
        return "unknown", None
    for frame, m in zip(stack, modules):
        name = frame.name() or ""
        if "libc" in m and any(word in name for word in ALLOCATOR):
            return "allocator", None
    return "free", None


def leave_heaptrack(thread, address):
    pid = gdb.selected_inferior().pid
    expired = threading.Event()

    def give_up():
        expired.set()
        os.kill(pid, signal.SIGINT)  # gdb stops the process on it and does not pass it on

    gdb.execute("tbreak *%d thread %d" % (address, thread.num), to_string=True)
    timer = threading.Timer(PATIENCE_S, give_up)
    timer.start()
    try:
        for _ in range(100):
            gdb.execute("continue", to_string=True)
            if expired.is_set() or not thread.is_valid():
                break
            current = gdb.selected_thread()
            if current is not None and current.num == thread.num and gdb.newest_frame().pc() == address:
                return True
    finally:
        timer.cancel()
    gdb.execute("delete", to_string=True)
    return False


def main():
    for library in ("libc.so", "libstdc++", "libgcc_s", "libheaptrack_inject", "libheaptrack_preload"):
        try:
            gdb.execute("sharedlibrary " + library, to_string=True)
        except gdb.error:
            pass
    threads = sorted(gdb.selected_inferior().threads(), key=lambda t: t.num)
    chosen = None
    escapes = []
    for thread in threads:
        kind, address = classify(thread)
        say("LWP %d %s" % (thread.ptid[1], kind))
        if kind == "free" and chosen is None:
            chosen = thread
        elif kind == "inside":
            escapes.append((thread, address))
    if chosen is None and escapes:
        thread, address = escapes[0]
        say("letting LWP %d leave heaptrack" % thread.ptid[1])
        if leave_heaptrack(thread, address):
            chosen = thread
    if chosen is None:
        say("no safe thread")
        return
    chosen.switch()
    for command in COMMANDS:
        gdb.execute(command)
    say("called in LWP %d" % chosen.ptid[1])


try:
    main()
finally:
    try:
        gdb.execute("detach")
    except gdb.error as error:
        say("detach failed: %s" % error)
)PY";

}  // namespace

std::string gdb_call_script(const std::vector<std::string>& commands) {
  std::string script = "COMMANDS = [";
  for (const auto& command : commands) script += "\"" + run::backslash_escaped(command, '"') + "\", ";
  script += "]\n";
  script += kScriptBody;
  return script;
}

GdbCallResult gdb_call_result(std::string_view output) {
  if (output.find("plumb-gdb: called in LWP") != std::string_view::npos) return GdbCallResult::Called;
  if (output.find("plumb-gdb: no safe thread") != std::string_view::npos) return GdbCallResult::NoSafeThread;
  if (output.find("Python scripting is not supported") != std::string_view::npos) return GdbCallResult::NoPython;
  return GdbCallResult::Unknown;
}

}  // namespace plumb::doctor

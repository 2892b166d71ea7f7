// The script gdb runs to call into a process: valid Python whatever the commands hold, and its
// report read back the way the recorder acts on it.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include "plumb/doctor/gdb_call.hpp"

namespace plumb::doctor {
namespace {

namespace fs = std::filesystem;

TEST(GdbCall, CommandsAreQuotedIntoTheScriptAsPythonStrings) {
  const std::string script =
      gdb_call_script({"call (void) heaptrack_inject(\"/tmp/a \\\"b\\\"/fifo\")", "sharedlibrary libx\n"});
  EXPECT_EQ(script.rfind("COMMANDS = [\"call (void) heaptrack_inject(\\\"/tmp/a \\\\\\\"b\\\\\\\"/fifo\\\")\", "
                         "\"sharedlibrary libx\\n\", ]\n",
                         0),
            0u)
      << script.substr(0, 200);
}

TEST(GdbCall, TheScriptIsValidPythonThatDetachesWhateverHappens) {
  if (std::system("python3 -c pass > /dev/null 2>&1") != 0) GTEST_SKIP() << "no python3 to check the script with";
  const fs::path file = fs::temp_directory_path() / ("plumb-gdb-call-" + std::to_string(getpid()) + ".py");
  {
    std::ofstream out(file);
    out << gdb_call_script({"call (void) heaptrack_stop()", "print \"quote \\\" and backslash \\\\\""});
  }
  const std::string check = "python3 -c \"import ast,sys; ast.parse(open(sys.argv[1]).read())\" " + file.string();
  EXPECT_EQ(std::system(check.c_str()), 0);
  std::ifstream in(file);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("finally:"), std::string::npos);
  EXPECT_NE(text.find("gdb.execute(\"detach\")"), std::string::npos);
  fs::remove(file);
}

TEST(GdbCall, TheOutcomeIsReadFromTheScriptsOwnLines) {
  EXPECT_EQ(gdb_call_result("plumb-gdb: LWP 5 free\nplumb-gdb: called in LWP 5\n"), GdbCallResult::Called);
  EXPECT_EQ(gdb_call_result("plumb-gdb: LWP 5 inside\nplumb-gdb: no safe thread\n"), GdbCallResult::NoSafeThread);
  EXPECT_EQ(gdb_call_result("/tmp/x.py:1: Error in sourced command file:\n"
                            "Python scripting is not supported in this copy of GDB.\n"),
            GdbCallResult::NoPython);
  EXPECT_EQ(gdb_call_result("ptrace: Operation not permitted.\n"), GdbCallResult::Unknown);
}

}  // namespace
}  // namespace plumb::doctor

#pragma once
// Runs a program to completion with its output captured in files (test helper).

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace plumb::leak_test {

// What a finished child did.
struct ChildResult {
  int exit_code = -1;  // -1 when it was killed by a signal or timed out
  int signal = 0;      // the terminating signal, 0 when it exited
  bool timed_out = false;
  std::string out;  // everything it wrote to stdout
  std::string err;  // everything it wrote to stderr
};

// Runs argv[0] (a path) with argv, the current environment plus `env` (a value of nullopt
// removes the variable), and kills it after `timeout`.
ChildResult run_child(const std::vector<std::string>& argv,
                      const std::map<std::string, std::optional<std::string>>& env = {},
                      std::chrono::seconds timeout = std::chrono::seconds(120));

// The last non-empty line of `text`.
std::string last_line(const std::string& text);

// A fresh empty directory under the system temp dir, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  // The directory's path.
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace plumb::leak_test

// A scripted stand-in for ProcessRunner, for unit tests of everything that starts processes.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "plumb/run/process.hpp"

namespace plumb::run {

// What a fake process does: how long it "runs", how it ends and which files it leaves.
struct FakeBehaviour {
  std::chrono::milliseconds duration{0};
  int exit_code = 0;
  int signal = 0;                            // Non-zero: it "dies" of this signal instead of exiting.
  bool hangs = false;                        // Runs until signalled.
  bool ignores_sigterm = false;              // Only SIGKILL ends it.
  std::chrono::milliseconds after_sigterm{0};  // How long it takes to end once SIGTERM came (its files
                                               // are written then, as valgrind writes its log's end).
  bool fails_to_start = false;               // start() throws InfrastructureError.
  std::map<std::string, std::string> files;  // Path -> content, written when it ends on its own.
  std::vector<std::string> stragglers;       // What kill_stragglers reports after it ended.
};

// Starts nothing; each start() asks `script` how the process behaves and plays it in real time.
class FakeRunner : public ProcessRunner {
 public:
  using Script = std::function<FakeBehaviour(const ProcessSpec&)>;

  explicit FakeRunner(Script script);

  std::unique_ptr<ProcessHandle> start(const ProcessSpec& spec) override;

  // Every spec started so far, in order.
  const std::vector<ProcessSpec>& started() const { return started_; }

  // The most processes that were running at the same time.
  int max_concurrent() const { return max_concurrent_; }

  // Signals sent to fake groups, in order.
  const std::vector<int>& signals_sent() const { return signals_; }

 private:
  friend class FakeHandle;
  Script script_;
  std::vector<ProcessSpec> started_;
  std::vector<int> signals_;
  int running_ = 0;
  int max_concurrent_ = 0;
  int next_pid_ = 1000;
};

}  // namespace plumb::run

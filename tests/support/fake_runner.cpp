#include "fake_runner.hpp"

#include <csignal>
#include <fstream>

#include "plumb/core/errors.hpp"

namespace plumb::run {

// A fake process: ends after its scripted duration, or when signalled.
class FakeHandle : public ProcessHandle {
 public:
  FakeHandle(FakeRunner& runner, FakeBehaviour behaviour, int pid)
      : runner_(runner),
        behaviour_(std::move(behaviour)),
        pid_(pid),
        started_(std::chrono::steady_clock::now()) {}

  ~FakeHandle() override {
    if (!exit_) {
      --runner_.running_;
    }
  }

  int pid() const override { return pid_; }

  std::optional<ProcessExit> poll() override {
    const auto now = std::chrono::steady_clock::now();
    if (!exit_ && terminated_ && now - *terminated_ >= behaviour_.after_sigterm) {
      write_files();
      end(ProcessExit{std::nullopt, SIGTERM});
    }
    if (!exit_ && !behaviour_.hangs && now - started_ >= behaviour_.duration) {
      write_files();
      end(behaviour_.signal != 0 ? ProcessExit{std::nullopt, behaviour_.signal}
                                 : ProcessExit{behaviour_.exit_code, 0});
    }
    return exit_;
  }

  void signal_group(int signal) override {
    runner_.signals_.push_back(signal);
    if (exit_) {
      return;
    }
    if (signal == SIGKILL) {
      end(ProcessExit{std::nullopt, signal});
    } else if (signal == SIGTERM && !behaviour_.ignores_sigterm) {
      if (behaviour_.after_sigterm.count() > 0) {
        terminated_ = terminated_.value_or(std::chrono::steady_clock::now());
      } else {
        end(ProcessExit{std::nullopt, signal});
      }
    }
  }

  std::vector<std::string> kill_stragglers() override { return behaviour_.stragglers; }

 private:
  void write_files() {
    for (const auto& [path, content] : behaviour_.files) {
      std::ofstream(path, std::ios::binary) << content;
    }
  }

  void end(ProcessExit exit) {
    exit_ = exit;
    --runner_.running_;
  }

  FakeRunner& runner_;
  FakeBehaviour behaviour_;
  int pid_;
  std::chrono::steady_clock::time_point started_;
  std::optional<std::chrono::steady_clock::time_point> terminated_;
  std::optional<ProcessExit> exit_;
};

FakeRunner::FakeRunner(Script script) : script_(std::move(script)) {}

std::unique_ptr<ProcessHandle> FakeRunner::start(const ProcessSpec& spec) {
  FakeBehaviour behaviour = script_(spec);
  if (behaviour.fails_to_start) {
    throw core::InfrastructureError((spec.argv.empty() ? std::string() : spec.argv.front()) +
                                    ": program not found on PATH");
  }
  started_.push_back(spec);
  ++running_;
  max_concurrent_ = std::max(max_concurrent_, running_);
  return std::make_unique<FakeHandle>(*this, std::move(behaviour), next_pid_++);
}

}  // namespace plumb::run

#include "plumb/doctor/site_analysis.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>

#include <fcntl.h>
#include <unistd.h>

#include "plumb/core/errors.hpp"
#include "plumb/doctor/site_history.hpp"
#include "plumb/run/process.hpp"

namespace plumb::doctor {

namespace {

// A stack as a flame graph draws it: outermost first, "function (file:line)" per frame.
profile::Stack flame_stack(const std::vector<core::Frame>& frames) {
  profile::Stack stack;
  for (auto it = frames.rbegin(); it != frames.rend(); ++it) {
    std::string name = it->function.empty() ? "?" : it->function;
    if (!it->file.empty()) {
      name += " (" + std::filesystem::path(it->file).filename().string() +
              (it->line > 0 ? ":" + std::to_string(it->line) : std::string()) + ")";
    } else if (it->function.empty() && !it->object.empty()) {
      name += " (" + std::filesystem::path(it->object).filename().string() + ")";
    }
    stack.push_back(profile::sanitize_frame(name));
  }
  return stack;
}

// The sink that keeps each trace's live bytes besides the per-site history.
class LiveByTrace : public SiteHistory {
 public:
  using SiteHistory::SiteHistory;

  void on_allocation(std::uint64_t size, std::uint32_t trace) override {
    SiteHistory::on_allocation(size, trace);
    if (trace >= live_.size()) live_.resize(trace + 1, 0);
    live_[trace] += static_cast<std::int64_t>(size);
  }
  void on_free(std::uint64_t size, std::uint32_t trace) override {
    SiteHistory::on_free(size, trace);
    if (trace >= live_.size()) live_.resize(trace + 1, 0);
    live_[trace] -= static_cast<std::int64_t>(size);
  }
  const std::vector<std::int64_t>& live() const { return live_; }

 private:
  std::vector<std::int64_t> live_;
};

// The sink needs the reader and the reader the sink: the reader is made first, pointing at a
// forwarding sink that is bound once the history exists.
class Forward : public TraceSink {
 public:
  TraceSink* target = nullptr;
  void on_time(std::uint64_t ms) override { target->on_time(ms); }
  void on_allocation(std::uint64_t size, std::uint32_t trace) override { target->on_allocation(size, trace); }
  void on_free(std::uint64_t size, std::uint32_t trace) override { target->on_free(size, trace); }
};

// Reads lines from `fd` into `reader` until the end.
void read_fd(int fd, TraceReader& reader) {
  std::string pending;
  char buffer[1 << 16];
  while (true) {
    const ssize_t got = read(fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    pending.append(buffer, static_cast<std::size_t>(got));
    std::size_t start = 0;
    for (std::size_t end; (end = pending.find('\n', start)) != std::string::npos; start = end + 1) {
      reader.feed(std::string_view(pending).substr(start, end - start));
    }
    pending.erase(0, start);
  }
  if (!pending.empty()) {
    reader.feed(pending);  // A last line without its line break: the trace was cut there.
  }
}

SiteAnalysis finish(TraceReader& reader, LiveByTrace& history, const SiteOptions& options) {
  history.finish();
  SiteAnalysis analysis;
  analysis.summary = reader.summary();
  analysis.confidence = options.thresholds.confidence;
  const auto& times = history.times();
  analysis.recorded_s = times.empty() ? 0 : times.back() - times.front();
  analysis.sites = judge_sites(history, options.warmup_s, options.thresholds, options.rss_slope_per_s);
  const auto& live = history.live();
  for (std::uint32_t trace = 0; trace < live.size(); ++trace) {
    if (live[trace] > 0) {
      analysis.live_at_end.add(flame_stack(reader.stack(trace)), static_cast<std::uint64_t>(live[trace]));
    }
  }
  if (analysis.summary.bad_lines > 0) {
    analysis.complete = false;
    analysis.incomplete_reason = std::to_string(analysis.summary.bad_lines) + " unreadable line(s), first " +
                                 analysis.summary.problems.front();
  }
  return analysis;
}

}  // namespace

SiteAnalysis analyse_trace(std::istream& in, const std::string& source, const SiteOptions& options) {
  Forward forward;
  TraceReader reader(forward);
  LiveByTrace history(reader, options.interval_ms);
  forward.target = &history;
  try {
    reader.read(in);
  } catch (const core::UsageError& error) {
    throw core::UsageError(source + ": " + error.what());
  }
  if (reader.summary().file_version == 0 && reader.summary().lines > 0) {
    throw core::UsageError(source + ":1: not a heaptrack trace (no version record)");
  }
  return finish(reader, history, options);
}

SiteAnalysis analyse_trace(const std::filesystem::path& trace, const SiteOptions& options, run::ProcessRunner& runner) {
  const std::string extension = trace.extension().string();
  if (extension != ".zst" && extension != ".gz") {
    std::ifstream in(trace);
    if (!in) throw core::InfrastructureError("cannot read " + trace.string() + ": " + std::strerror(errno));
    return analyse_trace(in, trace.string(), options);
  }
  if (access(trace.c_str(), R_OK) != 0) {
    throw core::InfrastructureError("cannot read " + trace.string() + ": " + std::strerror(errno));
  }
  // Decompressed by the format's own program, read through a pipe as it comes.
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    throw core::InfrastructureError(std::string("cannot make a pipe: ") + std::strerror(errno));
  }
  const std::string program = extension == ".zst" ? "zstd" : "gzip";
  run::ProcessSpec spec;
  spec.argv = {program, "-dc", "--", trace.string()};
  spec.stdout_fd = pipe_fds[1];
  std::unique_ptr<run::ProcessHandle> decompressor;
  try {
    decompressor = runner.start(spec);
  } catch (...) {
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    throw;
  }
  close(pipe_fds[1]);
  Forward forward;
  TraceReader reader(forward);
  LiveByTrace history(reader, options.interval_ms);
  forward.target = &history;
  std::string thrown;
  try {
    read_fd(pipe_fds[0], reader);
  } catch (const core::UsageError& e) {
    thrown = trace.string() + ": " + e.what();
  }
  close(pipe_fds[0]);
  // At the end of its output (or a damaged line, when the rest is not read) it has little left to do.
  std::optional<run::ProcessExit> exit = run::wait_for(*decompressor, std::chrono::seconds(10));
  if (!exit) exit = run::terminate_group(*decompressor, std::chrono::seconds(1));
  if (!thrown.empty()) throw core::UsageError(thrown);
  if (reader.summary().file_version == 0 && reader.summary().lines > 0) {
    throw core::UsageError(trace.string() + ":1: not a heaptrack trace (no version record)");
  }
  auto analysis = finish(reader, history, options);
  if (exit->exit_code != 0) {
    analysis.complete = false;
    analysis.incomplete_reason = program + " could not decompress all of " + trace.filename().string() +
                                 " (cut short?); judged on the " + std::to_string(analysis.summary.lines) +
                                 " lines read";
  }
  return analysis;
}

}  // namespace plumb::doctor

// heaptrack's interpreted trace, read as a stream: the format heaptrack_interpret writes and
// heaptrack's own .zst files hold (one record per line, numbers in lower-case hex; described in
// heaptrack's sources, src/analyze/accumulatedtracedata.cpp). Only the tables that name stacks are
// kept (strings, instruction pointers, trace nodes, allocation infos); events go to a sink.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "plumb/core/model.hpp"

namespace plumb::doctor {

// What a trace says, in file order; every hook does nothing unless overridden.
class TraceSink {
 public:
  virtual ~TraceSink() = default;

  // A time stamp: milliseconds since recording began.
  virtual void on_time(std::uint64_t ms);

  // A block of `size` bytes allocated from the stack `trace` (a TraceReader::stack index).
  virtual void on_allocation(std::uint64_t size, std::uint32_t trace);

  // A block allocated while recording, of `size` bytes from `trace`, freed.
  virtual void on_free(std::uint64_t size, std::uint32_t trace);
};

// What reading found besides the events.
struct TraceSummary {
  std::uint64_t lines = 0;
  std::uint64_t allocations = 0;
  std::uint64_t frees = 0;
  std::uint64_t last_ms = 0;          // The last time stamp.
  unsigned file_version = 0;          // heaptrack's file format version ("v" record).
  bool attached = false;              // Recorded by attaching to a running process ("A" record).
  std::string program;                // The debuggee as heaptrack names it ("X" record).
  std::uint64_t page_size = 0;        // From the "I" record; 0 when absent.
  std::vector<std::string> problems;  // Lines that could not be read, as "line N: why" (first few).
  std::uint64_t bad_lines = 0;        // How many lines could not be read.
};

// Reads a trace line by line into tables and sink events.
class TraceReader {
 public:
  // Events go to `sink`, which must outlive the reader.
  explicit TraceReader(TraceSink& sink);

  // Reads one line (without its line break). A line that cannot be read is counted in the
  // summary, never guessed at; a file format newer than version 3 throws core::UsageError.
  void feed(std::string_view line);

  // Reads every line of `in`.
  void read(std::istream& in);

  // The stack of trace node `trace`, innermost frame first, inlined frames expanded; empty for 0.
  std::vector<core::Frame> stack(std::uint32_t trace) const;

  // What was read so far.
  const TraceSummary& summary() const { return summary_; }

 private:
  struct Location {
    std::uint32_t function = 0;  // String indices, 0 for none.
    std::uint32_t file = 0;
    int line = 0;
  };
  struct InstructionPointer {
    std::uint32_t module = 0;
    std::vector<Location> frames;  // Innermost (the function containing the address) first.
  };
  struct TraceNode {
    std::uint32_t ip = 0;
    std::uint32_t parent = 0;
  };
  struct AllocationInfo {
    std::uint64_t size = 0;
    std::uint32_t trace = 0;
  };

  void problem(std::string_view why);
  const std::string& string_at(std::uint32_t index) const;

  TraceSink& sink_;
  TraceSummary summary_;
  bool in_program_ = false;                    // The last record was X: its command line may go on.
  std::vector<std::string> strings_;           // Index i + 1 is strings_[i].
  std::vector<InstructionPointer> ips_;        // Index i + 1 is ips_[i].
  std::vector<TraceNode> traces_;              // Index i + 1 is traces_[i].
  std::vector<AllocationInfo> allocations_;    // Index i is allocations_[i].
};

}  // namespace plumb::doctor

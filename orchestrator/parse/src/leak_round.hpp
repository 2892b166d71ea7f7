// The loss records of memcheck's latest leak check (internal to plumb_parse).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "memcheck_kinds.hpp"
#include "plumb/core/model.hpp"
#include "plumb/parse/memcheck_xml.hpp"

namespace plumb::parse::detail {

// A log holds one round of loss records per leak check: each VALGRIND_DO_LEAK_CHECK or
// VALGRIND_DO_ADDED_LEAK_CHECK the program asked for, then the final check at exit. Only the
// latest round says what is lost (a block seen mid-run and freed by exit is no leak), so a round
// replaces the one before it. Memory is that of one round, not of the log.
class LeakRound {
 public:
  // Notes an event between loss records (another error, a status, a client message): the next
  // loss record starts a new round.
  void interrupt() { interrupted_ = true; }

  // Moves `finding`, a loss record whose text is `text`, into the round, after starting a new
  // round when the record cannot belong to the current one: its "loss record X of N" does not
  // follow the previous one, the delta style changed, or the round already holds a record with
  // the same `key` (kind and allocation stack addresses, unique within one check). `finding` gets
  // a spare to refill.
  void add(core::Finding& finding, std::string_view text, std::optional<std::uint64_t> key);

  // Hands the round's findings to `sink`, in log order, and empties the round.
  void flush(const FindingSink& sink);

 private:
  std::vector<core::Finding> findings_;  // The round, then spares kept for their capacity.
  std::size_t size_ = 0;
  bool open_ = false;
  bool interrupted_ = false;
  LossRecordPosition last_;
  std::unordered_set<std::uint64_t> keys_;  // Of the round's records.
};

}  // namespace plumb::parse::detail

#include "leak_round.hpp"

#include <utility>

namespace plumb::parse::detail {

void LeakRound::add(core::Finding& finding, std::string_view text, std::optional<std::uint64_t> key) {
  const LossRecordPosition position = loss_record_position(text);
  bool restart = !open_ || interrupted_ || position.delta != last_.delta;
  if (position.index && last_.index) {
    // Every check numbers its records 1..N and prints them in order (skipping empty or unchanged
    // ones), so a number that does not grow, or another N, is the next check.
    restart = restart || *position.index <= *last_.index || position.count != last_.count;
  }
  // Two checks in a row can also number their records so that they seem to follow each other
  // (an added check prints only the records that grew): the same allocation stack twice tells.
  restart = restart || (key && keys_.count(*key) != 0);
  if (restart) {
    size_ = 0;
    keys_.clear();
  }
  if (key) {
    keys_.insert(*key);
  }
  if (size_ == findings_.size()) {
    findings_.emplace_back();
  }
  std::swap(finding, findings_[size_++]);
  last_ = position;
  open_ = true;
  interrupted_ = false;
}

void LeakRound::flush(const FindingSink& sink) {
  for (std::size_t i = 0; i < size_; ++i) {
    sink(std::move(findings_[i]));
  }
  size_ = 0;
  open_ = false;
  keys_.clear();
}

}  // namespace plumb::parse::detail

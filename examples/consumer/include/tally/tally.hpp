// tally: counts words; safe to feed from several threads through count_parallel.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tally {

// Word counts, one entry per distinct word.
class Table {
 public:
  // Counts every whitespace-separated word of `text`.
  void count(std::string_view text);

  // Adds another table's counts to this one.
  void merge(const Table& other);

  // The `n` most frequent words, most frequent first (ties by word).
  std::vector<std::pair<std::string, long>> top(std::size_t n) const;

  // How often `word` was counted.
  long get(const std::string& word) const;

 private:
  std::map<std::string, long> counts_;
};

// Counts `texts` on `threads` threads into one table.
Table count_parallel(const std::vector<std::string>& texts, int threads);

}  // namespace tally

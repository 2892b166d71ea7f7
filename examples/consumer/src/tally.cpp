#include "tally/tally.hpp"

#include <algorithm>
#include <mutex>
#include <sstream>
#include <thread>

namespace tally {

void Table::count(std::string_view text) {
  std::istringstream in{std::string(text)};
  std::string word;
  while (in >> word) {
    ++counts_[word];
  }
}

void Table::merge(const Table& other) {
#if TALLY_PLANT_LEAK
  auto* copy = new std::map<std::string, long>(other.counts_);  // planted: never freed
  for (const auto& [word, n] : *copy) {
    counts_[word] += n;
  }
#else
  for (const auto& [word, n] : other.counts_) {
    counts_[word] += n;
  }
#endif
}

std::vector<std::pair<std::string, long>> Table::top(std::size_t n) const {
  std::vector<std::pair<std::string, long>> all(counts_.begin(), counts_.end());
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
#if TALLY_PLANT_OVERFLOW
  auto* raw = new std::pair<std::string, long>[all.size()];
  std::copy(all.begin(), all.end(), raw);
  std::vector<std::pair<std::string, long>> result;
  for (std::size_t i = 0; i < n && i <= all.size(); ++i) {  // planted: reads raw[all.size()]
    result.push_back(raw[i]);
  }
  delete[] raw;
  result.resize(std::min(n, all.size()));
  return result;
#else
  all.resize(std::min(n, all.size()));
  return all;
#endif
}

long Table::get(const std::string& word) const {
  const auto found = counts_.find(word);
  return found == counts_.end() ? 0 : found->second;
}

Table count_parallel(const std::vector<std::string>& texts, int threads) {
  Table total;
  std::mutex lock;
  long words_seen = 0;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (std::size_t i = static_cast<std::size_t>(t); i < texts.size();
           i += static_cast<std::size_t>(threads)) {
        Table part;
        part.count(texts[i]);
#if TALLY_PLANT_RACE
        ++words_seen;  // planted: outside the lock
        std::lock_guard<std::mutex> hold(lock);
#else
        std::lock_guard<std::mutex> hold(lock);
        ++words_seen;
#endif
        total.merge(part);
      }
    });
  }
  for (auto& worker : workers) {
    worker.join();
  }
  return words_seen == static_cast<long>(texts.size()) ? total : Table{};
}

}  // namespace tally

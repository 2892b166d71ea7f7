#include "spectre/cache.hpp"

namespace spectre {

ScanCache::ScanCache(std::size_t memory_cap_bytes) : memory_(memory_cap_bytes) {}

ScanCache::ScanCache(std::size_t memory_cap_bytes, std::filesystem::path store_path,
                     std::size_t store_cap_bytes, CacheProblemReporter reporter)
    : memory_(memory_cap_bytes),
      store_(std::make_unique<SqliteStore>(std::move(store_path), store_cap_bytes, std::move(reporter))) {}

ScanCache::~ScanCache() = default;
ScanCache::ScanCache(ScanCache&&) noexcept = default;
ScanCache& ScanCache::operator=(ScanCache&&) noexcept = default;

std::optional<Verdict> ScanCache::get(const CacheKey& key) {
  return get(key, nullptr);
}

std::optional<Verdict> ScanCache::get(const CacheKey& key, SecretBytes* stealth_secret) {
  if (auto verdict = memory_.get(key, stealth_secret)) {
    ++counters_.memory_hits;
    return verdict;
  }
  std::optional<Verdict> verdict;
  if (store_ != nullptr) verdict = store_->get(key);
  if (verdict) {
    ++counters_.store_hits;
    memory_.put(key, *verdict);
  } else {
    ++counters_.misses;
  }
  return verdict;
}

void ScanCache::put(const CacheKey& key, Verdict verdict) {
  put(key, verdict, nullptr);
}

void ScanCache::put(const CacheKey& key, Verdict verdict, const SecretBytes* stealth_secret) {
  memory_.put(key, verdict, stealth_secret);
  if (store_ != nullptr) pending_.emplace_back(key, verdict);
}

void ScanCache::flush() {
  if (store_ != nullptr && !pending_.empty()) store_->put_many(pending_);
  std::vector<std::pair<CacheKey, Verdict>>().swap(pending_);  // keep no memory between scans
}

std::size_t ScanCache::store_bytes() {
  return store_ != nullptr ? store_->file_bytes() : 0;
}

// A cached non-match skips the X25519. A match found in the memory layer comes with its stealth
// secret (kept in sodium_malloc'd slots); a match known only to the SQLite store, which never holds
// secrets, is re-derived and verified in full.
ScanResult scan_cached(const RecipientKeys& keys, std::span<const Announcement> announcements,
                       ScanCache& cache) {
  const Scanner scanner(keys);
  const KeyId id = keys.id();
  ScanResult result;
  for (std::size_t i = 0; i < announcements.size(); ++i) {
    const Announcement& announcement = announcements[i];
    const CacheKey key{id, announcement_id(announcement)};
    SecretBytes secret;
    const std::optional<Verdict> cached = cache.get(key, &secret);
    if (cached && (*cached != Verdict::matched || !secret.empty())) {
      Scanner::count(*cached, result.stats);
      if (*cached == Verdict::matched) {
        result.matches.push_back(Match{i, announcement.stealth_pub, std::move(secret)});
      }
      continue;
    }
    const auto outcome = scanner.scan_one(announcement.ephemeral_pub, announcement.view_tag,
                                          announcement.stealth_pub, &secret);
    Scanner::count(outcome, result.stats);
    if (outcome == Scanner::Outcome::matched) {
      if (cached == outcome) {
        cache.memory().put(key, outcome, &secret);  // the store already has this verdict
      } else {
        cache.put(key, outcome, &secret);
      }
      result.matches.push_back(Match{i, announcement.stealth_pub, std::move(secret)});
    } else if (!cached || *cached != outcome) {
      cache.put(key, outcome);
    }
  }
  cache.flush();
  return result;
}

}  // namespace spectre

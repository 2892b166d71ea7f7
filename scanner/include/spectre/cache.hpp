#pragma once
// Scan cache: remembers each (key id, announcement id) verdict so rescans skip the X25519.
// An in-memory byte-capped LRU sits in front of an optional byte-capped SQLite store. Stealth
// secrets of matches stay in the memory layer (sodium_malloc'd); the store never holds secret
// material, so a match known only to the store is re-derived.

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "spectre/announcement.hpp"
#include "spectre/keys.hpp"
#include "spectre/scan.hpp"

struct sqlite3;

namespace spectre {

// Default byte cap of each cache layer (50 MiB).
inline constexpr std::size_t kDefaultCacheCapBytes = 50u * 1024u * 1024u;
// Smallest cap a SqliteStore accepts (an empty database already needs a few pages).
inline constexpr std::size_t kMinStoreCapBytes = 64u * 1024u;

// The cached outcome of scanning one announcement with one key (values persist in SQLite).
using Verdict = Scanner::Outcome;

// Cache key: which keys scanned which announcement.
struct CacheKey {
  KeyId key{};
  AnnouncementId announcement{};
  // Field-wise equality.
  bool operator==(const CacheKey&) const = default;
};

// Hash of a CacheKey (its bytes are already uniformly random).
struct CacheKeyHash {
  // First 8 bytes of the announcement id mixed with the key id's.
  std::size_t operator()(const CacheKey& key) const noexcept;
};

// In-memory LRU of verdicts whose accounted size (entries + hash buckets + secret slots) never
// exceeds its cap. A "matched" entry may also keep the match's stealth secret, in sodium_malloc'd
// slots wiped on eviction, so a warm rescan skips the X25519 for matches too. Secrets never leave
// the process: the SQLite layer stores verdicts only.
class MemoryLru {
 public:
  // An empty LRU holding at most `cap_bytes` of accounted memory.
  explicit MemoryLru(std::size_t cap_bytes = kDefaultCacheCapBytes);
  // Wipes every cached secret.
  ~MemoryLru();
  MemoryLru(MemoryLru&&) noexcept;
  MemoryLru& operator=(MemoryLru&&) noexcept;
  // Returns the verdict and marks the entry most recently used.
  std::optional<Verdict> get(const CacheKey& key);
  // Like get(); when the verdict is `matched` and a secret is cached, copies it into `stealth_secret`.
  std::optional<Verdict> get(const CacheKey& key, SecretBytes* stealth_secret);
  // Inserts or refreshes an entry, evicting least recently used ones to stay under the cap.
  void put(const CacheKey& key, Verdict verdict);
  // Same, keeping a copy of `stealth_secret` (32 bytes, only with Verdict::matched) when it fits.
  void put(const CacheKey& key, Verdict verdict, const SecretBytes* stealth_secret);
  // Accounted bytes: entries × bytes_per_entry() + bucket array + secret slot pages.
  std::size_t bytes() const noexcept;
  // The configured cap.
  std::size_t cap_bytes() const noexcept { return cap_bytes_; }
  // Number of entries.
  std::size_t size() const noexcept { return map_.size(); }
  // Number of cached stealth secrets.
  std::size_t secrets() const noexcept;
  // Estimated heap bytes per entry (list node + hash node + allocator overhead).
  static std::size_t bytes_per_entry() noexcept;
  // Drops every entry, wipes every secret and releases the bucket array.
  void clear();

 private:
  class SecretSlots;
  static constexpr std::uint32_t kNoSlot = 0xffffffffu;
  struct Entry {
    CacheKey key;
    Verdict verdict;
    std::uint32_t slot;
  };
  using Order = std::list<Entry>;
  void evict_to_cap();
  void set_secret(Entry& entry, const SecretBytes* stealth_secret);
  std::size_t cap_bytes_;
  Order order_;  // front = most recently used
  std::unordered_map<CacheKey, Order::iterator, CacheKeyHash> map_;
  std::unique_ptr<SecretSlots> slots_;
};

// How a SqliteStore came up.
enum class StoreStatus : std::uint8_t {
  opened,       // an existing, healthy file
  created,      // no file existed
  rebuilt,      // the file was corrupt or unreadable: reported, deleted and recreated
  unavailable,  // could not even be recreated: reported; the store acts as always-empty
};

// Human-readable name of a store status.
const char* to_string(StoreStatus status) noexcept;

// Receives one line describing a cache problem (corrupt file rebuilt, I/O error, ...).
using CacheProblemReporter = std::function<void(const std::string& message)>;

// Thrown when the path given to a SqliteStore holds a file that is not a spectre scan cache (not
// SQLite, or another application's database); the file is left as it was.
struct ForeignCacheFile : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Persistent verdict store in SQLite. Its on-disk size (page_count × page_size) is kept at or under
// the cap after every statement, by evicting the oldest rows and reclaiming pages
// (auto_vacuum=INCREMENTAL). Not thread-safe: one store per thread.
class SqliteStore {
 public:
  // Opens or creates `path` (created with mode 0600); a corrupt file of its own (SQLite header
  // with the store's application_id) is reported, deleted and recreated. Throws ForeignCacheFile
  // when `path` holds anything else (never deleting it), std::invalid_argument when
  // cap_bytes < kMinStoreCapBytes.
  explicit SqliteStore(std::filesystem::path path, std::size_t cap_bytes = kDefaultCacheCapBytes,
                       CacheProblemReporter reporter = {});
  ~SqliteStore();
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // Looks a verdict up; nullopt when absent (or the store is unavailable).
  std::optional<Verdict> get(const CacheKey& key);
  // Inserts or replaces verdicts in one transaction, enforcing the cap as it goes.
  void put_many(std::span<const std::pair<CacheKey, Verdict>> entries);
  // Current database size on disk: page_count × page_size (0 when unavailable).
  std::size_t file_bytes();
  // Number of stored verdicts.
  std::size_t rows();
  // The configured cap.
  std::size_t cap_bytes() const noexcept { return cap_bytes_; }
  // How the store came up (or `rebuilt` if it had to be rebuilt later on).
  StoreStatus status() const noexcept { return status_; }
  // The last problem reported (empty when none).
  const std::string& last_problem() const noexcept { return last_problem_; }
  // The database path.
  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  struct Statements;
  void open_or_rebuild();
  bool try_open(std::string& error);
  void close() noexcept;
  void report(const std::string& message);
  void rebuild_after(const std::string& error);
  void enforce_cap();
  void enforce_cap_safely();
  std::filesystem::path path_;
  std::size_t cap_bytes_;
  CacheProblemReporter reporter_;
  StoreStatus status_ = StoreStatus::created;
  std::string last_problem_;
  sqlite3* db_ = nullptr;
  std::unique_ptr<Statements> statements_;
};

// Lookup counters of a ScanCache since construction.
struct CacheCounters {
  std::uint64_t memory_hits = 0;  // answered by the memory layer
  std::uint64_t store_hits = 0;   // answered by the SQLite store (then promoted to memory)
  std::uint64_t misses = 0;       // answered by neither: the scan paid for the X25519
};

// The two-layer cache. Not thread-safe: use one per thread (or guard it).
class ScanCache {
 public:
  // Memory-only cache.
  explicit ScanCache(std::size_t memory_cap_bytes = kDefaultCacheCapBytes);
  // Memory cache in front of a SQLite store at `store_path`.
  ScanCache(std::size_t memory_cap_bytes, std::filesystem::path store_path,
            std::size_t store_cap_bytes = kDefaultCacheCapBytes, CacheProblemReporter reporter = {});
  ~ScanCache();
  ScanCache(ScanCache&&) noexcept;
  ScanCache& operator=(ScanCache&&) noexcept;

  // Memory layer first, then the store (promoting a store hit into memory).
  std::optional<Verdict> get(const CacheKey& key);
  // Like get(); a memory hit on a match also copies its cached stealth secret into `stealth_secret`.
  std::optional<Verdict> get(const CacheKey& key, SecretBytes* stealth_secret);
  // Records a verdict in memory now and queues it for the store (written by flush()).
  void put(const CacheKey& key, Verdict verdict);
  // Same; a match's stealth secret is kept in the memory layer only (never written to the store).
  void put(const CacheKey& key, Verdict verdict, const SecretBytes* stealth_secret);
  // Writes queued verdicts to the store in one transaction.
  void flush();

  // The memory layer.
  MemoryLru& memory() noexcept { return memory_; }
  // The store, or nullptr for a memory-only cache.
  SqliteStore* store() noexcept { return store_.get(); }
  // Accounted bytes of the memory layer.
  std::size_t memory_bytes() const noexcept { return memory_.bytes(); }
  // On-disk bytes of the store (0 without one).
  std::size_t store_bytes();
  // Lookup counters since construction.
  const CacheCounters& counters() const noexcept { return counters_; }

 private:
  MemoryLru memory_;
  CacheCounters counters_;
  std::unique_ptr<SqliteStore> store_;
  std::vector<std::pair<CacheKey, Verdict>> pending_;
};

// Scans like scan_announcements, consulting and filling `cache`; identical results with or without it.
ScanResult scan_cached(const RecipientKeys& keys, std::span<const Announcement> announcements,
                       ScanCache& cache);

}  // namespace spectre

#include <gtest/gtest.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <string>

#include "test_support.hpp"

namespace spectre {
namespace {

using testing::expect_same_result;
using testing::make_dataset;
using testing::ScratchDir;

// Small caps keep "ten times the cap" fast under memcheck.
constexpr std::size_t kMemoryCap = 64 * 1024;
constexpr std::size_t kStoreCap = 64 * 1024;

CacheKey random_key() {
  CacheKey key;
  randombytes_buf(key.key.data(), key.key.size());
  randombytes_buf(key.announcement.data(), key.announcement.size());
  return key;
}

TEST(MemoryLru, TenTimesTheCapStaysUnderTheCap) {
  MemoryLru lru(kMemoryCap);
  const std::size_t capacity = kMemoryCap / MemoryLru::bytes_per_entry();
  for (std::size_t i = 0; i < 10 * capacity; ++i) {
    lru.put(random_key(), Verdict::tag_rejected);
    ASSERT_LE(lru.bytes(), kMemoryCap) << "after " << i + 1 << " inserts";
  }
  EXPECT_GT(lru.size(), capacity / 2);  // the cap is used, not just respected
  lru.clear();
  EXPECT_EQ(lru.size(), 0u);
}

TEST(MemoryLru, EvictsLeastRecentlyUsed) {
  MemoryLru lru(MemoryLru::bytes_per_entry() * 64);
  const CacheKey kept = random_key();
  lru.put(kept, Verdict::matched);
  for (int i = 0; i < 1000; ++i) {
    lru.put(random_key(), Verdict::tag_rejected);
    ASSERT_EQ(lru.get(kept), Verdict::matched) << "the entry in use was evicted after " << i << " inserts";
  }
  const CacheKey unused = random_key();
  lru.put(unused, Verdict::tag_rejected);
  for (int i = 0; i < 1000; ++i) lru.put(random_key(), Verdict::tag_rejected);
  EXPECT_FALSE(lru.get(unused).has_value());
}

TEST(MemoryLru, KeepsMatchSecretsUnderTheCapAndDropsThemWithTheirEntries) {
  MemoryLru lru(kMemoryCap);
  std::vector<std::pair<CacheKey, std::array<std::uint8_t, 32>>> recent;
  SecretBytes secret(32);
  for (int i = 0; i < 3000; ++i) {
    std::array<std::uint8_t, 32> raw{};
    randombytes_buf(raw.data(), raw.size());
    std::memcpy(secret.data(), raw.data(), raw.size());
    const CacheKey key = random_key();
    lru.put(key, i % 3 == 0 ? Verdict::matched : Verdict::tag_rejected, &secret);
    ASSERT_LE(lru.bytes(), kMemoryCap) << "after " << i + 1 << " inserts";
    if (i % 3 == 0) recent.emplace_back(key, raw);
  }
  EXPECT_GT(lru.secrets(), 0u);
  EXPECT_LE(lru.secrets(), lru.size());
  // The newest match still has its secret, byte for byte.
  SecretBytes copy;
  EXPECT_EQ(lru.get(recent.back().first, &copy), Verdict::matched);
  EXPECT_TRUE(copy.equals(recent.back().second));
  // Non-matches never keep a secret, and a verdict change drops it.
  lru.put(recent.back().first, Verdict::tag_false_positive);
  SecretBytes none;
  EXPECT_EQ(lru.get(recent.back().first, &none), Verdict::tag_false_positive);
  EXPECT_TRUE(none.empty());
  lru.clear();
  EXPECT_EQ(lru.secrets(), 0u);
  EXPECT_EQ(lru.bytes(), 0u);
}

TEST(SqliteStore, TenTimesTheCapStaysUnderTheCapOnDisk) {
  ScratchDir dir;
  const auto path = dir / "cache.sqlite";
  SqliteStore store(path, kStoreCap);
  EXPECT_EQ(store.status(), StoreStatus::created);
  std::vector<std::pair<CacheKey, Verdict>> batch;
  std::size_t inserted = 0;
  std::size_t bytes_per_row = 0;  // measured on disk before the first eviction
  CacheKey last{};
  while (bytes_per_row == 0 || inserted * bytes_per_row < 10 * kStoreCap) {
    batch.clear();
    for (int i = 0; i < 500; ++i) batch.emplace_back(random_key(), Verdict::tag_rejected);
    last = batch.back().first;
    store.put_many(batch);
    inserted += batch.size();
    if (bytes_per_row == 0) bytes_per_row = store.file_bytes() / store.rows();
    ASSERT_LE(store.file_bytes(), kStoreCap);
    ASSERT_LE(std::filesystem::file_size(path), kStoreCap);
  }
  EXPECT_GE(bytes_per_row, 64u);  // a 64-byte key stored in the table and its index
  EXPECT_EQ(store.status(), StoreStatus::created);
  EXPECT_TRUE(store.last_problem().empty()) << store.last_problem();
  EXPECT_GT(store.rows(), 0u);
  EXPECT_LT(store.rows(), inserted);
  EXPECT_EQ(store.get(last), Verdict::tag_rejected);  // the newest survive eviction
  EXPECT_GT(store.file_bytes(), kStoreCap / 2);       // and the cap is used
}

TEST(SqliteStore, RejectsATinyCap) {
  EXPECT_THROW(SqliteStore("unused.sqlite", 1024), std::invalid_argument);
}

TEST(ScanCache, ResultsAreIdenticalWithWithoutAndAfterReopen) {
  ScratchDir dir;
  const auto path = dir / "cache.sqlite";
  const auto data = make_dataset(2, 3, 12);
  const RecipientKeys& keys = data.recipients[0];
  const ScanResult batch = scan_announcements(keys, data.announcements);
  {
    ScanCache cache(kMemoryCap, path, kStoreCap);
    expect_same_result(scan_cached(keys, data.announcements, cache), batch);  // cold
    EXPECT_EQ(cache.counters().misses, data.announcements.size());
    expect_same_result(scan_cached(keys, data.announcements, cache), batch);  // warm, from memory
    EXPECT_EQ(cache.counters().memory_hits, data.announcements.size());
    EXPECT_EQ(cache.memory().secrets(), batch.matches.size());  // matches answered from memory too
    EXPECT_GT(cache.memory_bytes(), 0u);
    EXPECT_GT(cache.store_bytes(), 0u);
    ASSERT_NE(cache.store(), nullptr);
    EXPECT_EQ(cache.store()->rows(), data.announcements.size());
  }
  ScanCache reopened(kMemoryCap, path, kStoreCap);
  ASSERT_NE(reopened.store(), nullptr);
  EXPECT_EQ(reopened.store()->status(), StoreStatus::opened);
  expect_same_result(scan_cached(keys, data.announcements, reopened), batch);
  EXPECT_EQ(reopened.counters().store_hits, data.announcements.size());
  EXPECT_EQ(reopened.counters().misses, 0u);
  expect_same_result(scan_cached(keys, data.announcements, reopened), batch);  // secrets re-derived, now warm
  EXPECT_EQ(reopened.memory().secrets(), batch.matches.size());
  // Another recipient's keys never see the first one's verdicts.
  const ScanResult other = scan_cached(data.recipients[1], data.announcements, reopened);
  expect_same_result(other, scan_announcements(data.recipients[1], data.announcements));
}

TEST(ScanCache, MemoryOnlyCacheGivesTheSameResults) {
  const auto data = make_dataset(1, 3, 10);
  ScanCache cache(kMemoryCap);
  EXPECT_EQ(cache.store(), nullptr);
  EXPECT_EQ(cache.store_bytes(), 0u);
  const ScanResult batch = scan_announcements(data.recipients[0], data.announcements);
  expect_same_result(scan_cached(data.recipients[0], data.announcements, cache), batch);
  expect_same_result(scan_cached(data.recipients[0], data.announcements, cache), batch);
}

void overwrite(const std::filesystem::path& path, std::size_t offset, std::size_t length) {
  std::fstream file(path, std::ios::binary | std::ios::in | std::ios::out);
  file.seekp(static_cast<std::streamoff>(offset));
  for (std::size_t i = 0; i < length; ++i) file.put(static_cast<char>((i * 131 + 7) & 0xff));
}

TEST(ScanCache, CorruptFilesAreReportedAndRebuilt) {
  ScratchDir dir;
  const auto data = make_dataset(1, 2, 8);
  const RecipientKeys& keys = data.recipients[0];
  const ScanResult batch = scan_announcements(keys, data.announcements);
  const auto path = dir / "cache.sqlite";
  // Garbage over the table pages and over everything after the header: the header still says
  // the file is the store's own (SQLite magic, its application_id), so it is rebuilt.
  for (const auto& [offset, length] : {std::pair<std::size_t, std::size_t>{4096, 8192}, {100, 20000}}) {
    std::filesystem::remove(path);
    {
      ScanCache cache(kMemoryCap, path, kStoreCap);
      scan_cached(keys, data.announcements, cache);
    }
    overwrite(path, offset, length);
    std::vector<std::string> problems;
    ScanCache cache(kMemoryCap, path, kStoreCap, [&](const std::string& line) { problems.push_back(line); });
    ASSERT_NE(cache.store(), nullptr);
    EXPECT_EQ(cache.store()->status(), StoreStatus::rebuilt) << "offset " << offset;
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_NE(problems[0].find("rebuilt"), std::string::npos) << problems[0];
    expect_same_result(scan_cached(keys, data.announcements, cache), batch);
    EXPECT_EQ(cache.store()->rows(), data.announcements.size());
  }
}

// The file's bytes, to prove a refused file was left exactly as it was.
std::string contents(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(SqliteStore, RefusesAFileThatIsNotItsOwnAndNeverDeletesIt) {
  ScratchDir dir;
  // A text file, another application's SQLite database, and a store whose header was overwritten
  // (then nothing shows it was ever the store's: it is refused too, not deleted).
  const auto text = dir / "notes.txt";
  std::ofstream(text) << "my notes, not a cache\n";
  const auto other = dir / "other.sqlite";
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(other.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "PRAGMA application_id = 1234; CREATE TABLE t(x); INSERT INTO t VALUES (42);",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  const auto damaged = dir / "damaged.sqlite";
  { SqliteStore store(damaged, kStoreCap); }
  overwrite(damaged, 0, 100);
  for (const auto& path : {text, other, damaged}) {
    const std::string before = contents(path);
    try {
      SqliteStore store(path, kStoreCap);
      ADD_FAILURE() << path << " was accepted";
    } catch (const ForeignCacheFile& refused) {
      EXPECT_NE(std::string(refused.what()).find(path.string()), std::string::npos) << refused.what();
      EXPECT_NE(std::string(refused.what()).find("refusing to use or delete it"), std::string::npos);
    }
    EXPECT_EQ(contents(path), before) << path;
  }
  try {
    SqliteStore store(other, kStoreCap);
  } catch (const ForeignCacheFile& refused) {
    EXPECT_NE(std::string(refused.what()).find("application_id 1234"), std::string::npos) << refused.what();
  }
}

TEST(SqliteStore, CreatesItsFilePrivate) {
  ScratchDir dir;
  const auto path = dir / "cache.sqlite";
  const mode_t old_mask = ::umask(022);
  { SqliteStore store(path, kStoreCap); }
  ::umask(old_mask);
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  // An empty file given to it (e.g. made by mktemp) becomes the store and keeps its mode.
  const auto empty = dir / "empty.sqlite";
  std::ofstream(empty).close();
  {
    SqliteStore store(empty, kStoreCap);
    EXPECT_EQ(store.status(), StoreStatus::opened);
  }
  EXPECT_GT(std::filesystem::file_size(empty), 0u);
}

TEST(ScanCache, UnusableLocationIsReportedAndScansStillWork) {
  ScratchDir dir;
  const auto data = make_dataset(1, 2, 4);
  std::vector<std::string> problems;
  ScanCache cache(kMemoryCap, dir / "no-such-dir" / "cache.sqlite", kStoreCap,
                  [&](const std::string& line) { problems.push_back(line); });
  ASSERT_NE(cache.store(), nullptr);
  EXPECT_EQ(cache.store()->status(), StoreStatus::unavailable);
  EXPECT_EQ(problems.size(), 1u);
  const ScanResult batch = scan_announcements(data.recipients[0], data.announcements);
  expect_same_result(scan_cached(data.recipients[0], data.announcements, cache), batch);
  EXPECT_EQ(cache.store_bytes(), 0u);
}

}  // namespace
}  // namespace spectre

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <system_error>

#include "spectre/cache.hpp"

namespace spectre {
namespace {

constexpr int kSchemaVersion = 1;
constexpr int kApplicationId = 0x53504331;  // "SPC1"
constexpr char kCreateSchema[] =
    "PRAGMA auto_vacuum = INCREMENTAL;"
    "CREATE TABLE verdicts(seq INTEGER PRIMARY KEY, k BLOB NOT NULL UNIQUE, verdict INTEGER NOT NULL);"
    "PRAGMA user_version = 1;"
    "PRAGMA application_id = 1397769009;";

// Error carrying the SQLite message; caught inside the store, which then rebuilds its file.
struct SqliteError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Who a file at the store's path belongs to, from its first 100 bytes (the SQLite header).
enum class Owner { absent, empty, ours, not_sqlite, other_application };

struct Inspection {
  Owner owner = Owner::absent;
  std::uint32_t application_id = 0;  // The header's, for a message.
};

Inspection inspect(const std::filesystem::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return {Owner::absent, 0};
  if (S_ISREG(info.st_mode) && info.st_size == 0) return {Owner::empty, 0};
  if (!S_ISREG(info.st_mode)) return {Owner::not_sqlite, 0};
  unsigned char header[100] = {};
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {Owner::absent, 0};  // unreadable: opening it will fail and say why
  const ssize_t got = ::read(fd, header, sizeof header);
  ::close(fd);
  static constexpr char kMagic[] = "SQLite format 3";  // 16 bytes with its NUL
  if (got < static_cast<ssize_t>(sizeof header) || std::memcmp(header, kMagic, sizeof kMagic) != 0) {
    return {Owner::not_sqlite, 0};
  }
  // The application id is the big-endian 32-bit integer at offset 68 of the header.
  const std::uint32_t id = (std::uint32_t{header[68]} << 24) | (std::uint32_t{header[69]} << 16) |
                           (std::uint32_t{header[70]} << 8) | std::uint32_t{header[71]};
  return {id == static_cast<std::uint32_t>(kApplicationId) ? Owner::ours : Owner::other_application, id};
}

// Why a file is not the store's own, or empty when it is (or there is none yet).
std::string foreign_reason(const std::filesystem::path& path, const Inspection& inspection) {
  switch (inspection.owner) {
    case Owner::not_sqlite:
      return path.string() + " is not an SQLite database, so not a spectre scan cache";
    case Owner::other_application:
      return path.string() + " is another application's SQLite database (application_id " +
             std::to_string(inspection.application_id) + ", a spectre scan cache has " +
             std::to_string(kApplicationId) + ")";
    case Owner::absent:
    case Owner::empty:
    case Owner::ours:
      break;
  }
  return {};
}

// Creates the file readable and writable by its owner only: its rows tell which announcements
// belong to the recipient. SQLite gives its journal the same mode.
void create_private(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) ::close(fd);  // a failure shows when SQLite opens it
}

std::string describe(sqlite3* db, const char* what) {
  return std::string(what) + ": " + (db != nullptr ? sqlite3_errmsg(db) : "out of memory");
}

void exec(sqlite3* db, const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = std::string(sql) + ": " + (message != nullptr ? message : sqlite3_errmsg(db));
    sqlite3_free(message);
    throw SqliteError(text);
  }
}

std::int64_t query_int(sqlite3* db, const char* sql) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &statement, nullptr) != SQLITE_OK) throw SqliteError(describe(db, sql));
  const int rc = sqlite3_step(statement);
  const std::int64_t value = rc == SQLITE_ROW ? sqlite3_column_int64(statement, 0) : 0;
  sqlite3_finalize(statement);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) throw SqliteError(describe(db, sql));
  return value;
}

std::string query_text(sqlite3* db, const char* sql) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &statement, nullptr) != SQLITE_OK) throw SqliteError(describe(db, sql));
  const int rc = sqlite3_step(statement);
  std::string value;
  if (rc == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(statement, 0);
    if (text != nullptr) value = reinterpret_cast<const char*>(text);
  }
  sqlite3_finalize(statement);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) throw SqliteError(describe(db, sql));
  return value;
}

bool valid_verdict(std::int64_t value) noexcept {
  return value >= 1 && value <= 6;
}

}  // namespace

// Prepared statements, finalized before the connection closes.
struct SqliteStore::Statements {
  sqlite3_stmt* select = nullptr;
  sqlite3_stmt* insert = nullptr;
  sqlite3_stmt* evict = nullptr;
  sqlite3_stmt* page_count = nullptr;
  sqlite3_stmt* vacuum = nullptr;
  std::int64_t page_size = 4096;

  ~Statements() {
    for (sqlite3_stmt* statement : {select, insert, evict, page_count, vacuum}) sqlite3_finalize(statement);
  }

  static sqlite3_stmt* prepare(sqlite3* db, const char* sql) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, nullptr) != SQLITE_OK) {
      throw SqliteError(describe(db, sql));
    }
    return statement;
  }

  void prepare_all(sqlite3* db) {
    select = prepare(db, "SELECT verdict FROM verdicts WHERE k = ?1");
    insert = prepare(db, "INSERT OR REPLACE INTO verdicts(k, verdict) VALUES(?1, ?2)");
    evict = prepare(db, "DELETE FROM verdicts WHERE seq IN (SELECT seq FROM verdicts ORDER BY seq LIMIT ?1)");
    page_count = prepare(db, "PRAGMA page_count");
    vacuum = prepare(db, "PRAGMA incremental_vacuum");
    page_size = query_int(db, "PRAGMA page_size");
  }

  // Runs a statement to completion and resets it; throws on error.
  static void run(sqlite3* db, sqlite3_stmt* statement) {
    int rc = SQLITE_ROW;
    while (rc == SQLITE_ROW) rc = sqlite3_step(statement);
    sqlite3_reset(statement);
    if (rc != SQLITE_DONE) throw SqliteError(describe(db, sqlite3_sql(statement)));
  }

  std::size_t bytes(sqlite3* db) const {
    const int rc = sqlite3_step(page_count);
    const std::int64_t pages = rc == SQLITE_ROW ? sqlite3_column_int64(page_count, 0) : 0;
    sqlite3_reset(page_count);
    if (rc != SQLITE_ROW) throw SqliteError(describe(db, "PRAGMA page_count"));
    return static_cast<std::size_t>(pages * page_size);
  }
};

const char* to_string(StoreStatus status) noexcept {
  switch (status) {
    case StoreStatus::opened:
      return "opened";
    case StoreStatus::created:
      return "created";
    case StoreStatus::rebuilt:
      return "rebuilt";
    case StoreStatus::unavailable:
      return "unavailable";
  }
  return "unknown";
}

SqliteStore::SqliteStore(std::filesystem::path path, std::size_t cap_bytes, CacheProblemReporter reporter)
    : path_(std::move(path)), cap_bytes_(cap_bytes), reporter_(std::move(reporter)) {
  if (cap_bytes_ < kMinStoreCapBytes) throw std::invalid_argument("SqliteStore: cap below 64 KiB");
  if (const std::string reason = foreign_reason(path_, inspect(path_)); !reason.empty()) {
    throw ForeignCacheFile(reason + "; refusing to use or delete it (give another --cache-file)");
  }
  open_or_rebuild();
}

SqliteStore::~SqliteStore() {
  close();
}

void SqliteStore::close() noexcept {
  statements_.reset();
  if (db_ != nullptr) {
    sqlite3_close_v2(db_);
    db_ = nullptr;
  }
}

void SqliteStore::report(const std::string& message) {
  last_problem_ = message;
  if (reporter_) reporter_(message);
}

bool SqliteStore::try_open(std::string& error) {
  try {
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path_.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      throw SqliteError(describe(db_, "cannot open"));
    }
    sqlite3_extended_result_codes(db_, 1);
    exec(db_, "PRAGMA journal_mode = DELETE; PRAGMA synchronous = NORMAL;");
    if (query_int(db_, "PRAGMA page_count") == 0) {
      exec(db_, kCreateSchema);
    } else {
      if (query_int(db_, "PRAGMA application_id") != kApplicationId ||
          query_int(db_, "PRAGMA user_version") != kSchemaVersion) {
        throw SqliteError("not a spectre scan cache (application_id/user_version mismatch)");
      }
      if (query_int(db_, "PRAGMA auto_vacuum") != 2) throw SqliteError("auto_vacuum is not INCREMENTAL");
      const std::string check = query_text(db_, "PRAGMA quick_check(1)");
      if (check != "ok") throw SqliteError("quick_check: " + check);
    }
    statements_ = std::make_unique<Statements>();
    statements_->prepare_all(db_);
    return true;
  } catch (const std::exception& failure) {
    error = failure.what();
    close();
    return false;
  }
}

void SqliteStore::open_or_rebuild() {
  std::error_code ignored;
  const bool existed = std::filesystem::exists(path_, ignored);
  if (!existed) create_private(path_);
  std::string error;
  if (try_open(error)) {
    status_ = existed ? StoreStatus::opened : StoreStatus::created;
    enforce_cap_safely();
    return;
  }
  rebuild_after(error);
}

void SqliteStore::rebuild_after(const std::string& error) {
  close();
  // Only a file that is provably the store's own (or empty, or gone) is deleted and recreated.
  if (const std::string reason = foreign_reason(path_, inspect(path_)); !reason.empty()) {
    status_ = StoreStatus::unavailable;
    report("scan cache failed (" + error + ") and " + reason + "; left untouched, running without it");
    return;
  }
  std::error_code ignored;
  for (const char* suffix : {"", "-journal", "-wal", "-shm"}) {
    std::filesystem::remove(std::filesystem::path(path_.string() + suffix), ignored);
  }
  create_private(path_);
  std::string second_error;
  if (try_open(second_error)) {
    status_ = StoreStatus::rebuilt;
    report("scan cache " + path_.string() + " was corrupt or unreadable (" + error + "); rebuilt empty");
  } else {
    status_ = StoreStatus::unavailable;
    report("scan cache " + path_.string() + " was corrupt or unreadable (" + error +
           ") and could not be recreated (" + second_error + "); running without it");
  }
}

void SqliteStore::enforce_cap_safely() {
  if (db_ == nullptr) return;
  try {
    exec(db_, "BEGIN IMMEDIATE");
    enforce_cap();
    exec(db_, "COMMIT");
  } catch (const std::exception& failure) {
    rebuild_after(failure.what());
  }
}

// Deletes the oldest rows and reclaims their pages until the database is at or under the cap.
// Called inside a transaction after every insert, so the file never grows past the cap at commit.
void SqliteStore::enforce_cap() {
  Statements& s = *statements_;
  if (s.bytes(db_) <= cap_bytes_) return;
  // Low-water mark: a tenth under the cap, so eviction runs once per many inserts, not per insert.
  const std::size_t low_water = cap_bytes_ - cap_bytes_ / 10;
  std::int64_t batch = 64;
  while (true) {
    sqlite3_bind_int64(s.evict, 1, batch);
    Statements::run(db_, s.evict);
    const int evicted = sqlite3_changes(db_);
    Statements::run(db_, s.vacuum);
    if (s.bytes(db_) <= low_water || evicted < batch) break;  // under the mark, or the table is empty
    batch = std::min<std::int64_t>(batch * 2, 1 << 16);
  }
}

std::optional<Verdict> SqliteStore::get(const CacheKey& key) {
  if (db_ == nullptr) return std::nullopt;
  std::array<std::uint8_t, 64> blob{};
  std::memcpy(blob.data(), key.key.data(), 32);
  std::memcpy(blob.data() + 32, key.announcement.data(), 32);
  sqlite3_stmt* select = statements_->select;
  sqlite3_bind_blob(select, 1, blob.data(), static_cast<int>(blob.size()), SQLITE_STATIC);
  const int rc = sqlite3_step(select);
  std::optional<Verdict> verdict;
  if (rc == SQLITE_ROW) {
    const std::int64_t value = sqlite3_column_int64(select, 0);
    if (valid_verdict(value)) verdict = static_cast<Verdict>(value);
  }
  sqlite3_reset(select);
  sqlite3_clear_bindings(select);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    rebuild_after(describe(db_, "lookup"));
    return std::nullopt;
  }
  return verdict;
}

void SqliteStore::put_many(std::span<const std::pair<CacheKey, Verdict>> entries) {
  if (db_ == nullptr || entries.empty()) return;
  try {
    exec(db_, "BEGIN IMMEDIATE");
    std::array<std::uint8_t, 64> blob{};
    sqlite3_stmt* insert = statements_->insert;
    for (const auto& [key, verdict] : entries) {
      std::memcpy(blob.data(), key.key.data(), 32);
      std::memcpy(blob.data() + 32, key.announcement.data(), 32);
      sqlite3_bind_blob(insert, 1, blob.data(), static_cast<int>(blob.size()), SQLITE_STATIC);
      sqlite3_bind_int(insert, 2, static_cast<int>(verdict));
      Statements::run(db_, insert);
      enforce_cap();
    }
    sqlite3_clear_bindings(insert);
    exec(db_, "COMMIT");
  } catch (const std::exception& failure) {
    if (db_ != nullptr) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    rebuild_after(failure.what());
  }
}

std::size_t SqliteStore::file_bytes() {
  if (db_ == nullptr) return 0;
  try {
    return statements_->bytes(db_);
  } catch (const std::exception& failure) {
    rebuild_after(failure.what());
    return 0;
  }
}

std::size_t SqliteStore::rows() {
  if (db_ == nullptr) return 0;
  try {
    return static_cast<std::size_t>(query_int(db_, "SELECT count(*) FROM verdicts"));
  } catch (const std::exception& failure) {
    rebuild_after(failure.what());
    return 0;
  }
}

}  // namespace spectre

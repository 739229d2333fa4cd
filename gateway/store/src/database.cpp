#include "pilemesh/store/database.hpp"

#include <sqlite3.h>

#include <utility>

namespace pilemesh::store {
namespace {

std::string describe(sqlite3* db, const std::filesystem::path& path, std::string_view doing) {
  std::string message = path.filename().string() + ": " + std::string(doing) + ": ";
  message += db != nullptr ? sqlite3_errmsg(db) : "out of memory";
  return message;
}

}  // namespace

Database Database::open(const std::filesystem::path& file, Options options) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (options.create) flags |= SQLITE_OPEN_CREATE;
  const int rc = sqlite3_open_v2(file.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = describe(db, file, "cannot open");
    sqlite3_close(db);
    throw StoreError(message + " (" + file.string() + ")");
  }
  Database database(db, file);
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  // Reading the schema is what detects a file that is not a database, or a corrupt header:
  // fail here, at start, rather than on the first write.
  try {
    database.exec("SELECT count(*) FROM sqlite_schema;");
    // WAL: readers never block the writer; synchronous=NORMAL is durable across process
    // crashes in WAL mode and spares the SD card an fsync per transaction.
    database.exec(
        options.durable
            ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
            : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
    auto check = database.prepare("PRAGMA quick_check;");
    if (!check.step() || check.column_text(0) != "ok") {
      throw StoreError(file.filename().string() + ": database is corrupt (" + check.column_text(0) +
                       ")");
    }
  } catch (const StoreError& e) {
    throw StoreError(std::string(e.what()) + " (" + file.string() + ")");
  }
  return database;
}

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    sqlite3_close(db_);
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
  }
  return *this;
}

Database::~Database() {
  sqlite3_close(db_);
}

void Database::exec(std::string_view sql) {
  char* error = nullptr;
  const std::string text(sql);
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = path_.filename().string() + ": " + (error ? error : "error");
    sqlite3_free(error);
    throw StoreError(message);
  }
}

Statement Database::prepare(std::string_view sql) {
  return Statement(*this, sql);
}

std::int64_t Database::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_);
}
int Database::changes() const {
  return sqlite3_changes(db_);
}

Statement::Statement(Database& db, std::string_view sql) : db_(&db) {
  if (sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()),
                         SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) != SQLITE_OK) {
    throw StoreError(
        describe(db.handle(), db.path(), "cannot prepare \"" + std::string(sql) + "\""));
  }
}

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), db_(other.db_) {}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

Statement& Statement::bind(int index, std::int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) {
    throw StoreError(describe(db_->handle(), db_->path(), "cannot bind"));
  }
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  if (sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK) {
    throw StoreError(describe(db_->handle(), db_->path(), "cannot bind"));
  }
  return *this;
}

Statement& Statement::bind(int index, std::span<const std::uint8_t> blob) {
  // A zero-length blob must still be a BLOB, not NULL: a non-null pointer guarantees that.
  static const std::uint8_t kEmpty = 0;
  const void* data = blob.empty() ? &kEmpty : blob.data();
  if (sqlite3_bind_blob64(stmt_, index, data, blob.size(), SQLITE_TRANSIENT) != SQLITE_OK) {
    throw StoreError(describe(db_->handle(), db_->path(), "cannot bind"));
  }
  return *this;
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw StoreError(describe(db_->handle(), db_->path(), "statement failed"));
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::column_int(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string Statement::column_text(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  return text ? std::string(reinterpret_cast<const char*>(text),
                            static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
              : std::string();
}

std::vector<std::uint8_t> Statement::column_blob(int column) const {
  const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, column));
  const int size = sqlite3_column_bytes(stmt_, column);
  if (data == nullptr || size <= 0) return {};
  return std::vector<std::uint8_t>(data, data + size);
}

bool Statement::column_is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

Transaction::Transaction(Database& db) : db_(db) {
  db_.exec("BEGIN IMMEDIATE;");
}

Transaction::~Transaction() {
  if (!done_) {
    try {
      db_.exec("ROLLBACK;");
    } catch (const StoreError&) {
      // The transaction is already gone (e.g. SQLite rolled it back itself on an I/O error).
    }
  }
}

void Transaction::commit() {
  db_.exec("COMMIT;");
  done_ = true;
}

}  // namespace pilemesh::store

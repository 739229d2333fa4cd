// The one door to SQLite: opening a database file in WAL mode, prepared statements,
// transactions and busy handling. Every part of the gateway (and later the ledger) goes
// through it, so that pragmas, error messages and durability rules are set in one place.
//
// Errors are thrown as StoreError with a message that names the file and what failed; the
// daemon turns them into a clear message and a non-zero exit at start, or a 5xx at runtime.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace pilemesh::store {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Statement;

class Database {
 public:
  struct Options {
    int busy_timeout_ms = 5000;  // wait this long for another connection's lock
    bool create = true;          // create the file if it does not exist
    // fsync at every commit (synchronous=FULL), so a committed transaction survives a power
    // cut, not only a crash of the process. The ledger needs it: a validator must never forget
    // a block it has signed. The gateway's own database does not.
    bool durable = false;
  };

  // Opens (or creates) `file`, switches it to WAL, checks it is a readable SQLite database.
  // Throws StoreError: "gateway.db: file is not a database" and the like.
  static Database open(const std::filesystem::path& file, Options options);
  static Database open(const std::filesystem::path& file) { return open(file, Options{}); }

  Database(Database&&) noexcept;
  Database& operator=(Database&&) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // Runs one or more statements without results (schema, pragmas).
  void exec(std::string_view sql);
  Statement prepare(std::string_view sql);
  std::int64_t last_insert_rowid() const;
  int changes() const;
  const std::filesystem::path& path() const { return path_; }
  sqlite3* handle() const { return db_; }

 private:
  Database(sqlite3* db, std::filesystem::path path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_ = nullptr;
  std::filesystem::path path_;
};

// A prepared statement. Bind parameters are 1-based, columns 0-based, as in SQLite.
// Prepared once and reused: reset() clears its row and bindings.
class Statement {
 public:
  // Prepares `sql` on `db`, which must outlive the statement; the same as db.prepare(sql).
  Statement(Database& db, std::string_view sql);
  Statement(Statement&&) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view text);
  // Raw bytes (keys, hashes, encodings) as a BLOB, compared and returned byte for byte.
  Statement& bind(int index, std::span<const std::uint8_t> blob);
  Statement& bind_null(int index);

  // Advances to the next row: true when a row is ready, false when done.
  bool step();
  // Runs a statement that returns no rows.
  void run();
  void reset();

  std::int64_t column_int(int column) const;
  std::string column_text(int column) const;
  std::vector<std::uint8_t> column_blob(int column) const;
  bool column_is_null(int column) const;

 private:
  sqlite3_stmt* stmt_ = nullptr;
  const Database* db_;
};

// RAII transaction: BEGIN IMMEDIATE on construction, ROLLBACK on destruction unless commit()
// was called. IMMEDIATE takes the write lock up front, so a busy database fails at the start
// of the transaction rather than half-way through it.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace pilemesh::store

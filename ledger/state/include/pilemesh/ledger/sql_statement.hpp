// A prepared statement with BLOB parameters and columns, over store::Database's connection.
//
// store::Statement binds text and integers only; ledger rows are raw bytes (keys, hashes,
// encodings) that must compare and round-trip byte for byte, so the ledger binds them as BLOBs.
// Errors are thrown as store::StoreError naming the database file, as store::Statement does.
// Statements are prepared once and reused; use a SqlCursor to reset them around each use.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pilemesh/store/database.hpp"

namespace pilemesh::ledger {

class SqlStatement {
 public:
  SqlStatement(store::Database& db, std::string_view sql);
  SqlStatement(SqlStatement&& other) noexcept;
  SqlStatement& operator=(SqlStatement&&) = delete;
  SqlStatement(const SqlStatement&) = delete;
  SqlStatement& operator=(const SqlStatement&) = delete;
  ~SqlStatement();

  // Parameters are 1-based, columns 0-based, as in SQLite.
  SqlStatement& bind(int index, std::int64_t value);
  SqlStatement& bind(int index, std::span<const std::uint8_t> blob);
  SqlStatement& bind_text(int index, std::string_view text);

  // True when a row is ready, false when done.
  bool step();
  // Runs a statement that returns no rows, then resets it.
  void run();
  void reset();

  std::int64_t column_int(int column) const;
  std::vector<std::uint8_t> column_blob(int column) const;
  std::string column_text(int column) const;
  bool column_is_null(int column) const;

 private:
  [[noreturn]] void fail(std::string_view doing) const;
  store::Database* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// Resets a reused statement on entry and on every way out, so that an exception part-way
// through a query never leaves it holding a read snapshot or stale bindings.
class SqlCursor {
 public:
  explicit SqlCursor(SqlStatement& statement) : statement_(statement) { statement_.reset(); }
  ~SqlCursor() { statement_.reset(); }
  SqlCursor(const SqlCursor&) = delete;
  SqlCursor& operator=(const SqlCursor&) = delete;
  SqlStatement* operator->() { return &statement_; }

 private:
  SqlStatement& statement_;
};

// Runs `body` atomically under a savepoint: inside the caller's open transaction it becomes
// part of it, outside one it is a transaction of its own. On an exception the savepoint's
// writes are undone and the exception passes on.
template <class F>
void with_savepoint(store::Database& db, std::string_view name, F&& body) {
  const std::string n(name);
  db.exec("SAVEPOINT " + n + ";");
  try {
    body();
  } catch (...) {
    try {
      db.exec("ROLLBACK TO " + n + "; RELEASE " + n + ";");
    } catch (const store::StoreError&) {
      // SQLite already rolled the whole transaction back (e.g. after an I/O error).
    }
    throw;
  }
  db.exec("RELEASE " + n + ";");
}

}  // namespace pilemesh::ledger

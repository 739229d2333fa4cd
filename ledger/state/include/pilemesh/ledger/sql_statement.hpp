// Helpers for the ledger's use of store::Statement: statements are prepared once and reused,
// so a SqlCursor resets one around each use; with_savepoint makes a group of writes atomic.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pilemesh/store/database.hpp"

namespace pilemesh::ledger {

// The ledger's rows are raw bytes (keys, hashes, encodings), bound and read as BLOBs.
using SqlStatement = store::Statement;

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

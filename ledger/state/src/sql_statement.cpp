#include "pilemesh/ledger/sql_statement.hpp"

#include <sqlite3.h>

#include <utility>

namespace pilemesh::ledger {

SqlStatement::SqlStatement(store::Database& db, std::string_view sql) : db_(&db) {
  if (sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()),
                         SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) != SQLITE_OK) {
    fail("cannot prepare \"" + std::string(sql) + "\"");
  }
}

SqlStatement::SqlStatement(SqlStatement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)) {}

SqlStatement::~SqlStatement() {
  sqlite3_finalize(stmt_);
}

void SqlStatement::fail(std::string_view doing) const {
  throw store::StoreError(db_->path().filename().string() + ": " + std::string(doing) + ": " +
                          sqlite3_errmsg(db_->handle()));
}

SqlStatement& SqlStatement::bind(int index, std::int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) fail("cannot bind");
  return *this;
}

SqlStatement& SqlStatement::bind(int index, std::span<const std::uint8_t> blob) {
  // A zero-length blob must still be a BLOB, not NULL: a non-null pointer guarantees that.
  static const std::uint8_t kEmpty = 0;
  const void* data = blob.empty() ? &kEmpty : blob.data();
  if (sqlite3_bind_blob64(stmt_, index, data, blob.size(), SQLITE_TRANSIENT) != SQLITE_OK) {
    fail("cannot bind");
  }
  return *this;
}

SqlStatement& SqlStatement::bind_text(int index, std::string_view text) {
  if (sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8) !=
      SQLITE_OK) {
    fail("cannot bind");
  }
  return *this;
}

bool SqlStatement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail("statement failed");
}

void SqlStatement::run() {
  while (step()) {
  }
  reset();
}

void SqlStatement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t SqlStatement::column_int(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::vector<std::uint8_t> SqlStatement::column_blob(int column) const {
  const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, column));
  const int size = sqlite3_column_bytes(stmt_, column);
  if (data == nullptr || size <= 0) return {};
  return std::vector<std::uint8_t>(data, data + size);
}

std::string SqlStatement::column_text(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  return text ? std::string(reinterpret_cast<const char*>(text),
                            static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
              : std::string();
}

bool SqlStatement::column_is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

}  // namespace pilemesh::ledger

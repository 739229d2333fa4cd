#include "pilemesh/store/migrations.hpp"

#include <string>

namespace pilemesh::store {

int schema_version(Database& db) {
  auto stmt = db.prepare("PRAGMA user_version;");
  stmt.step();
  return static_cast<int>(stmt.column_int(0));
}

int migrate(Database& db, std::span<const Migration> migrations) {
  const int newest = migrations.empty() ? 0 : migrations.back().version;
  Transaction tx(db);
  const int before = schema_version(db);
  if (before > newest) {
    throw StoreError(db.path().filename().string() + ": schema version " + std::to_string(before) +
                     " is newer than this pilemeshd supports (" + std::to_string(newest) +
                     "); install a newer pilemesh or restore a backup");
  }
  int expected = 1;
  for (const Migration& m : migrations) {
    if (m.version != expected++) {
      throw StoreError("migrations are not numbered 1, 2, 3, ... (found " +
                       std::to_string(m.version) + ")");
    }
    if (m.version <= before) continue;
    try {
      db.exec(m.sql);
    } catch (const StoreError& e) {
      throw StoreError(std::string(e.what()) + " in migration " + std::to_string(m.version) + " (" +
                       std::string(m.name) + "); nothing was changed");
    }
  }
  // PRAGMA takes no bound parameters; the number is ours, not user input.
  db.exec("PRAGMA user_version = " + std::to_string(newest) + ";");
  tx.commit();
  return before;
}

}  // namespace pilemesh::store

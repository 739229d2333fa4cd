// Versioned, forward-only schema migrations.
//
// A database records its schema version in SQLite's user_version. At start every migration
// newer than that is applied in order, all inside one transaction: either the database ends at
// the newest version or it is left exactly as it was. A database newer than this program knows
// is refused rather than touched.
#pragma once

#include <span>
#include <string_view>

#include "pilemesh/store/database.hpp"

namespace pilemesh::store {

struct Migration {
  int version;            // 1, 2, 3, ... without gaps
  std::string_view name;  // "create boot log"
  std::string_view sql;
};

// Brings `db` to the newest version in `migrations` (sorted by version). Returns the version
// the database had before. Throws StoreError if the database is newer than the newest
// migration, or if a migration fails (nothing is applied then).
int migrate(Database& db, std::span<const Migration> migrations);

int schema_version(Database& db);

}  // namespace pilemesh::store

#include "pilemesh/store/gateway_store.hpp"

#include <array>

#include "pilemesh/store/migrations.hpp"

namespace pilemesh::store {
namespace {

// Forward-only: never edit a migration that has shipped; add the next number instead.
constexpr std::array kMigrations{
    Migration{1, "meta and boot log", R"sql(
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
      CREATE TABLE boot_log (
        id             INTEGER PRIMARY KEY,
        version        TEXT NOT NULL,
        started_at     TEXT NOT NULL,
        stopped_at     TEXT,
        clean_shutdown INTEGER NOT NULL DEFAULT 0
      ) STRICT;
    )sql"},
};

}  // namespace

GatewayStore GatewayStore::open(const std::filesystem::path& data_dir) {
  GatewayStore store(Database::open(data_dir / "gateway.db"));
  migrate(store.db_, kMigrations);
  return store;
}

std::int64_t GatewayStore::record_boot(std::string_view version, std::string_view started_at_utc) {
  Transaction tx(db_);
  std::int64_t previous_boots = 0;
  {
    auto last = db_.prepare(
        "SELECT count(*), coalesce((SELECT clean_shutdown FROM boot_log "
        "ORDER BY id DESC LIMIT 1), 1) FROM boot_log;");
    last.step();
    previous_boots = last.column_int(0);
    previous_clean_ = last.column_int(1) != 0;
  }
  db_.prepare("INSERT INTO boot_log(version, started_at) VALUES (?, ?);")
      .bind(1, version)
      .bind(2, started_at_utc)
      .run();
  boot_id_ = db_.last_insert_rowid();
  tx.commit();
  return previous_boots;
}

void GatewayStore::record_clean_shutdown(std::string_view stopped_at_utc) {
  db_.prepare("UPDATE boot_log SET stopped_at = ?, clean_shutdown = 1 WHERE id = ?;")
      .bind(1, stopped_at_utc)
      .bind(2, boot_id_)
      .run();
}

}  // namespace pilemesh::store

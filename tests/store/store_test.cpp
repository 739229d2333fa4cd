// The SQLite wrapper, migrations and gateway.db on real files in a temporary folder.
#include <gtest/gtest.h>

#include <array>
#include <filesystem>
#include <fstream>

#include "pilemesh/store/database.hpp"
#include "pilemesh/store/gateway_store.hpp"
#include "pilemesh/store/migrations.hpp"
#include "temp_dir.hpp"

namespace pilemesh::store {
namespace {

using pilemesh::test::TempDir;

constexpr std::array kTwoMigrations{
    Migration{1, "things", "CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL);"},
    Migration{2, "colour", "ALTER TABLE things ADD COLUMN colour TEXT;"},
};

TEST(Database, OpensInWalModeAndRoundTrips) {
  TempDir dir;
  auto db = Database::open(dir.path() / "a.db");
  auto mode = db.prepare("PRAGMA journal_mode;");
  ASSERT_TRUE(mode.step());
  EXPECT_EQ(mode.column_text(0), "wal");
  db.exec("CREATE TABLE t (k TEXT, v INTEGER);");
  db.prepare("INSERT INTO t VALUES (?, ?);").bind(1, "answer").bind(2, std::int64_t{42}).run();
  auto q = db.prepare("SELECT v FROM t WHERE k = ?;");
  q.bind(1, "answer");
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q.column_int(0), 42);
  EXPECT_FALSE(q.step());
}

TEST(Database, TransactionRollsBackUnlessCommitted) {
  TempDir dir;
  auto db = Database::open(dir.path() / "a.db");
  db.exec("CREATE TABLE t (v INTEGER);");
  {
    Transaction tx(db);
    db.exec("INSERT INTO t VALUES (1);");
  }
  {
    Transaction tx(db);
    db.exec("INSERT INTO t VALUES (2);");
    tx.commit();
  }
  auto q = db.prepare("SELECT group_concat(v) FROM t;");
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q.column_text(0), "2");
}

TEST(Database, RefusesAFileThatIsNotADatabase) {
  TempDir dir;
  const auto file = dir.path() / "gateway.db";
  std::ofstream(file) << "this is not a database, it is a shopping list: milk, eggs, bread\n"
                      << std::string(4096, 'x');
  try {
    Database::open(file);
    FAIL() << "a text file was opened as a database";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("gateway.db"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("not a database"), std::string::npos) << e.what();
  }
}

TEST(Database, ReportsAnUnopenablePath) {
  TempDir dir;
  std::filesystem::create_directory(dir.path() /
                                    "gateway.db");  // a folder where the file should be
  EXPECT_THROW(Database::open(dir.path() / "gateway.db"), StoreError);
}

TEST(Database, BadSqlNamesTheStatement) {
  TempDir dir;
  auto db = Database::open(dir.path() / "a.db");
  try {
    db.prepare("SELEC nonsense;");
    FAIL();
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("SELEC nonsense"), std::string::npos) << e.what();
  }
}

TEST(Migrations, ApplyInOrderOnceAndRecordTheVersion) {
  TempDir dir;
  auto db = Database::open(dir.path() / "m.db");
  EXPECT_EQ(migrate(db, std::span(kTwoMigrations).first(1)), 0);
  EXPECT_EQ(schema_version(db), 1);
  EXPECT_EQ(migrate(db, kTwoMigrations), 1);
  EXPECT_EQ(schema_version(db), 2);
  EXPECT_EQ(migrate(db, kTwoMigrations), 2);  // nothing left to do
  db.exec("INSERT INTO things (name, colour) VALUES ('pile', 'green');");
}

TEST(Migrations, AFailingMigrationChangesNothing) {
  TempDir dir;
  auto db = Database::open(dir.path() / "m.db");
  const std::array broken{
      kTwoMigrations[0],
      Migration{2, "broken", "ALTER TABLE things ADD COLUMN x TEXT; THIS IS NOT SQL;"},
  };
  try {
    migrate(db, broken);
    FAIL();
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("migration 2"), std::string::npos) << e.what();
  }
  EXPECT_EQ(schema_version(db), 0);
  auto q = db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'things';");
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q.column_int(0), 0) << "migration 1 must be rolled back with migration 2";
}

TEST(Migrations, RefuseADatabaseFromANewerVersion) {
  TempDir dir;
  auto db = Database::open(dir.path() / "m.db");
  migrate(db, kTwoMigrations);
  try {
    migrate(db, std::span(kTwoMigrations).first(1));
    FAIL();
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos) << e.what();
  }
}

TEST(GatewayStore, KeepsABootLogAndNoticesAnUncleanShutdown) {
  TempDir dir;
  {
    auto store = GatewayStore::open(dir.path());
    EXPECT_EQ(store.record_boot("0.1.0", "2026-01-01T00:00:00Z"), 0);
    store.record_clean_shutdown("2026-01-01T01:00:00Z");
  }
  {
    auto store = GatewayStore::open(dir.path());
    EXPECT_EQ(store.record_boot("0.1.0", "2026-01-02T00:00:00Z"), 1);
    EXPECT_TRUE(store.previous_boot_was_clean());
    // no clean shutdown: as after a power cut
  }
  auto store = GatewayStore::open(dir.path());
  EXPECT_EQ(store.record_boot("0.1.0", "2026-01-03T00:00:00Z"), 2);
  EXPECT_FALSE(store.previous_boot_was_clean());
}

}  // namespace
}  // namespace pilemesh::store

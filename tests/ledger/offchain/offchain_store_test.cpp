// Off-chain records on a real SQLite file: texts under their sha256, meter series under their
// chain's last link, and verification that finds a record changed behind the store's back.
#include "pilemesh/ledger/offchain_store.hpp"

#include <gtest/gtest.h>

#include "temp_dir.hpp"

namespace pilemesh::ledger {
namespace {

TEST(OffchainStore, TextsAndMeterSeriesUnderTheirHashes) {
  test::TempDir dir;
  OffchainStore store = OffchainStore::open(dir.path() / "offchain.db");
  const Hash review = store.put_text(OffchainKind::kReview, "Quick and easy, thank you!");
  EXPECT_EQ(review, sha256("Quick and easy, thank you!"));
  EXPECT_EQ(store.put_text(OffchainKind::kReview, "Quick and easy, thank you!"),
            review);  // idempotent
  const auto rec = store.get(review);
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->kind, OffchainKind::kReview);
  EXPECT_EQ(std::string(rec->bytes.begin(), rec->bytes.end()), "Quick and easy, thank you!");
  EXPECT_THROW(store.put_text(OffchainKind::kProfile, ""), std::invalid_argument);
  EXPECT_THROW(store.put_text(OffchainKind::kProfile, std::string(5000, 'x')),
               std::invalid_argument);

  const std::vector<MeterValue> series = {{1000, 10}, {11000, 40}, {21000, 75}};
  const Hash chain = store.put_meter_series(series);
  Hash expected;
  for (const auto& v : series) expected = meter_chain_link(expected, v);
  EXPECT_EQ(chain, expected);
  EXPECT_EQ(OffchainStore::decode_meter_series(store.get(chain)->bytes).value().size(), 3u);
  EXPECT_EQ(store.size(), 2u);
  EXPECT_TRUE(store.verify_all().empty());
  EXPECT_FALSE(store.get(sha256("nothing")));
}

TEST(OffchainStore, CountsEachAuthorsNewTexts) {
  test::TempDir dir;
  OffchainStore store = OffchainStore::open(dir.path() / "offchain.db");
  const PublicKey alice = KeyPair::generate().public_key();
  const PublicKey bob = KeyPair::generate().public_key();
  EXPECT_EQ(store.texts_stored_today(alice), 0u);
  store.put_text(OffchainKind::kReview, "Great pile", &alice);
  store.put_text(OffchainKind::kProfile, "Alice, Lindenweg", &alice);
  store.put_text(OffchainKind::kReview, "Great pile", &alice);  // the same text: stored once
  store.put_text(OffchainKind::kReview, "Fine", &bob);
  store.put_text(OffchainKind::kReview, "Anonymous");
  store.put_meter_series({{1000, 0}, {2000, 5}});
  EXPECT_EQ(store.texts_stored_today(alice), 2u);
  EXPECT_EQ(store.texts_stored_today(bob), 1u);
  EXPECT_EQ(store.size(), 5u);
}

TEST(OffchainStore, VerifyFindsAChangedRecord) {
  test::TempDir dir;
  {
    OffchainStore store = OffchainStore::open(dir.path() / "offchain.db");
    store.put_text(OffchainKind::kReview, "honest words");
    store.put_meter_series({{1, 1}, {2, 2}});
  }
  {
    store::Database db = store::Database::open(dir.path() / "offchain.db");
    db.exec("UPDATE records SET bytes = CAST('dishonest words' AS BLOB) WHERE kind = 2;");
  }
  const OffchainStore store = OffchainStore::open(dir.path() / "offchain.db");
  const auto problems = store.verify_all();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("review"), std::string::npos);
}

}  // namespace
}  // namespace pilemesh::ledger

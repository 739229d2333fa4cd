#include "pilemesh/ledger/offchain_store.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "pilemesh/ledger/codec.hpp"
#include "pilemesh/store/migrations.hpp"

namespace pilemesh::ledger {
namespace {

constexpr std::array<store::Migration, 2> kMigrations{{
    {1, "create off-chain records",
     "CREATE TABLE records (hash BLOB PRIMARY KEY, kind INTEGER NOT NULL, bytes BLOB NOT NULL, "
     "stored_ms INTEGER NOT NULL) WITHOUT ROWID;"},
    {2, "who stored each text, so that each member's share can be bounded",
     "ALTER TABLE records ADD COLUMN author BLOB;"
     "CREATE INDEX records_by_author ON records(author, stored_ms) WHERE author IS NOT NULL;"},
}};

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

const char* kind_name(OffchainKind k) {
  switch (k) {
    case OffchainKind::kProfile:
      return "profile";
    case OffchainKind::kReview:
      return "review";
    case OffchainKind::kResponse:
      return "response";
    case OffchainKind::kMeterSeries:
      return "meter series";
  }
  return "record";
}

Hash hash_of_record(OffchainKind kind, std::span<const std::uint8_t> bytes) {
  if (kind == OffchainKind::kMeterSeries) {
    auto values = OffchainStore::decode_meter_series(bytes);
    return values ? meter_chain(*values) : Hash{};
  }
  return sha256(bytes);
}

}  // namespace

Hash meter_chain_link(const Hash& previous, const MeterValue& value) {
  Writer w(48);
  w.raw(previous.bytes);
  w.i64(value.time_ms);
  w.u64(value.energy_wh);
  return sha256(w.data());
}

Hash meter_chain(const std::vector<MeterValue>& values) {
  Hash h;
  for (const MeterValue& v : values) h = meter_chain_link(h, v);
  return h;
}

OffchainStore::OffchainStore(store::Database db) : db_(std::move(db)) {}

OffchainStore OffchainStore::open(const std::filesystem::path& file) {
  store::Database db = store::Database::open(file);
  store::migrate(db, kMigrations);
  return OffchainStore(std::move(db));
}

std::vector<std::uint8_t> OffchainStore::encode_meter_series(
    const std::vector<MeterValue>& values) {
  Writer w(8 + values.size() * 16);
  w.count(values.size());
  for (const MeterValue& v : values) {
    w.i64(v.time_ms);
    w.u64(v.energy_wh);
  }
  return w.take();
}

std::optional<std::vector<MeterValue>> OffchainStore::decode_meter_series(
    std::span<const std::uint8_t> bytes) {
  Reader r(bytes);
  std::size_t n = 0;
  if (!r.count("values", kMaxMeterValues, 16, n)) return std::nullopt;
  std::vector<MeterValue> out(n);
  for (MeterValue& v : out)
    if (!r.i64("time_ms", v.time_ms) || !r.u64("energy_wh", v.energy_wh)) return std::nullopt;
  if (!r.finish()) return std::nullopt;
  return out;
}

void OffchainStore::put(const Hash& hash, OffchainKind kind, std::span<const std::uint8_t> bytes,
                        const PublicKey* author) {
  auto insert = db_.prepare(
      "INSERT OR IGNORE INTO records(hash, kind, bytes, stored_ms, author) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  insert.bind(1, hash.bytes)
      .bind(2, static_cast<std::int64_t>(kind))
      .bind(3, bytes)
      .bind(4, wall_ms());
  if (author != nullptr) insert.bind(5, author->bytes);
  insert.run();
}

std::size_t OffchainStore::texts_stored_today(const PublicKey& author) const {
  auto s = db_.prepare("SELECT count(*) FROM records WHERE author = ?1 AND stored_ms > ?2");
  s.bind(1, author.bytes).bind(2, wall_ms() - 24 * 3'600'000);
  s.step();
  return static_cast<std::size_t>(s.column_int(0));
}

Hash OffchainStore::put_text(OffchainKind kind, std::string_view text, const PublicKey* author) {
  if (text.empty() || text.size() > kMaxOffchainTextBytes) {
    throw std::invalid_argument(std::string(kind_name(kind)) + ": 1 to " +
                                std::to_string(kMaxOffchainTextBytes) + " bytes");
  }
  const std::span bytes(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
  const Hash h = sha256(bytes);
  put(h, kind, bytes, author);
  return h;
}

Hash OffchainStore::put_meter_series(const std::vector<MeterValue>& values) {
  const Hash h = meter_chain(values);
  put(h, OffchainKind::kMeterSeries, encode_meter_series(values), nullptr);
  return h;
}

std::optional<OffchainRecord> OffchainStore::get(const Hash& hash) const {
  auto s = db_.prepare("SELECT kind, bytes, author FROM records WHERE hash = ?1");
  s.bind(1, hash.bytes);
  if (!s.step()) return std::nullopt;
  OffchainRecord r{hash, static_cast<OffchainKind>(s.column_int(0)), s.column_blob(1), {}};
  if (!s.column_is_null(2)) {
    const auto key = s.column_blob(2);
    if (key.size() == PublicKey{}.bytes.size()) {
      PublicKey author;
      std::copy(key.begin(), key.end(), author.bytes.begin());
      r.author = author;
    }
  }
  return r;
}

bool OffchainStore::contains(const Hash& hash) const {
  auto s = db_.prepare("SELECT 1 FROM records WHERE hash = ?1");
  s.bind(1, hash.bytes);
  return s.step();
}

std::vector<std::string> OffchainStore::verify_all() const {
  std::vector<std::string> problems;
  auto s = db_.prepare("SELECT hash, kind, bytes FROM records ORDER BY hash");
  while (s.step()) {
    const auto hash_bytes = s.column_blob(0);
    const auto kind = static_cast<OffchainKind>(s.column_int(1));
    const auto bytes = s.column_blob(2);
    Hash stored;
    if (hash_bytes.size() == stored.bytes.size())
      std::copy(hash_bytes.begin(), hash_bytes.end(), stored.bytes.begin());
    if (hash_of_record(kind, bytes) != stored) {
      problems.push_back(std::string(kind_name(kind)) + " " + stored.hex().substr(0, 16) +
                         ": its bytes do not give its hash");
    }
  }
  return problems;
}

std::size_t OffchainStore::size() const {
  auto s = db_.prepare("SELECT count(*) FROM records");
  s.step();
  return static_cast<std::size_t>(s.column_int(0));
}

}  // namespace pilemesh::ledger

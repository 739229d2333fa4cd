// Off-chain records (ITU clause 9.1): what is too personal or too large for the chain —
// profiles, review texts and answers, a session's meter values — kept in SQLite
// (<data_dir>/offchain.db), each tied to the hash the chain holds. A text record's hash is
// sha256 of its bytes; a meter series is stored under the last link of its hash chain
// (meter_chain_link). `pilemesh ledger verify` re-derives every hash, and lists the on-chain
// hashes with no record here (a later part fetches those from peers).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "pilemesh/ledger/hash.hpp"
#include "pilemesh/ledger/keys.hpp"
#include "pilemesh/store/database.hpp"

namespace pilemesh::ledger {

enum class OffchainKind : std::uint8_t {
  kProfile = 1,
  kReview = 2,
  kResponse = 3,
  kMeterSeries = 4
};
inline constexpr std::size_t kMaxOffchainTextBytes = 4096;
inline constexpr std::size_t kMaxMeterValues = 100'000;
// Texts one member may store on a gateway in 24 hours: far above a person's reviews, profile
// edits and answers, and a bound on what one key can make a gateway keep.
inline constexpr std::size_t kMaxTextsPerMemberPerDay = 50;

struct MeterValue {
  std::int64_t time_ms = 0;
  std::uint64_t energy_wh = 0;
};

// One link of a session's meter chain: sha256(previous || i64 time || u64 Wh), big-endian; the
// first link starts from the zero hash.
Hash meter_chain_link(const Hash& previous, const MeterValue& value);
Hash meter_chain(const std::vector<MeterValue>& values);

struct OffchainRecord {
  Hash hash;
  OffchainKind kind = OffchainKind::kReview;
  std::vector<std::uint8_t> bytes;
  // Who stored the text first (a signed upload); none for meter series and older records.
  std::optional<PublicKey> author;
};

class OffchainStore {
 public:
  // Opens or creates the file; throws store::StoreError naming it.
  static OffchainStore open(const std::filesystem::path& file);

  // Stores a text (profile, review, answer) under sha256 of its bytes and returns that hash;
  // `author`, when given, is counted by texts_stored_today. A text stored already stays as it
  // was. Throws std::invalid_argument for an empty or too long text.
  Hash put_text(OffchainKind kind, std::string_view text, const PublicKey* author = nullptr);
  // The texts `author` stored in the last 24 hours.
  std::size_t texts_stored_today(const PublicKey& author) const;
  // Stores a session's meter values under their chain's last link and returns it.
  Hash put_meter_series(const std::vector<MeterValue>& values);
  std::optional<OffchainRecord> get(const Hash& hash) const;
  bool contains(const Hash& hash) const;

  // Every record whose bytes no longer give its hash ("review 3f2a…: ...").
  std::vector<std::string> verify_all() const;
  std::size_t size() const;

  static std::vector<std::uint8_t> encode_meter_series(const std::vector<MeterValue>& values);
  static std::optional<std::vector<MeterValue>> decode_meter_series(
      std::span<const std::uint8_t> bytes);

 private:
  explicit OffchainStore(store::Database db);
  void put(const Hash& hash, OffchainKind kind, std::span<const std::uint8_t> bytes,
           const PublicKey* author);
  mutable store::Database db_;
};

}  // namespace pilemesh::ledger

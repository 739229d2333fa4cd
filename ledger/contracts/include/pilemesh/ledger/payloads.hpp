// The payloads of this part's transaction types and the state records they write, each with
// its canonical encoding (codec.hpp). The pointers are the back-pointers of the shared-charging
// block structure: every charging record points to the same pile's and the same EV's previous
// charging record, every evaluation to the pile's and the EV's previous evaluation and to the
// charging record it rates. A zero hash means "none before".
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "pilemesh/ledger/codec.hpp"
#include "pilemesh/ledger/hash.hpp"
#include "pilemesh/ledger/keys.hpp"

namespace pilemesh::ledger {

inline constexpr std::size_t kMaxPileIdBytes = 32;

struct TransferPayload {
  PublicKey to;
  std::uint64_t amount = 0;  // minor units
};

struct ChargingRecordPayload {
  std::string pile_id;
  PublicKey ev;  // the EV user's account
  std::uint64_t energy_wh = 0;
  std::int64_t started_ms = 0;
  std::int64_t stopped_ms = 0;
  Hash prev_pile_charging;  // the pile's previous charging record
  Hash prev_ev_charging;    // the EV's previous charging record
};

struct EvaluationPayload {
  std::string pile_id;
  Hash charging_tx;        // the charging record rated
  std::uint8_t score = 0;  // 1..3
  Hash prev_pile_evaluation;
  Hash prev_ev_evaluation;
};

// State records.
struct AccountRecord {
  std::uint64_t nonce = 0;
  std::uint64_t balance = 0;
  Hash last_charging;
  Hash last_evaluation;
};

struct PileRecord {
  PublicKey owner;
  Hash last_charging;
  Hash last_evaluation;
  std::uint64_t charging_count = 0;
  std::uint64_t evaluation_count = 0;
};

struct ChargeRecord {  // what execution needs to know about a charging transaction later
  std::string pile_id;
  PublicKey ev;
  bool rated = false;
};

Bytes encode(const TransferPayload& p);
Bytes encode(const ChargingRecordPayload& p);
Bytes encode(const EvaluationPayload& p);
Bytes encode(const AccountRecord& r);
Bytes encode(const PileRecord& r);
Bytes encode(const ChargeRecord& r);

// Each returns nothing and sets `error` when the bytes are not a canonical encoding.
std::optional<TransferPayload> decode_transfer(std::span<const std::uint8_t> b, std::string& error);
std::optional<ChargingRecordPayload> decode_charging(std::span<const std::uint8_t> b,
                                                     std::string& error);
std::optional<EvaluationPayload> decode_evaluation(std::span<const std::uint8_t> b,
                                                   std::string& error);
std::optional<AccountRecord> decode_account(std::span<const std::uint8_t> b, std::string& error);
std::optional<PileRecord> decode_pile(std::span<const std::uint8_t> b, std::string& error);
std::optional<ChargeRecord> decode_charge(std::span<const std::uint8_t> b, std::string& error);

bool is_valid_pile_id(std::string_view id);

}  // namespace pilemesh::ledger

// Where the service's records live in the state, and typed access to them. Keys are a short
// ASCII prefix and the raw id, so each kind can be scanned by prefix:
//   acct/<key>  member/<key>  pile/<id>  pileinfo/<id>  slots/<id>  charge/<tx>
//   booking/<tx>  topup/<tx>  rating/<tx>  request/<tx>  meta/supply  meta/params
// A record that does not decode means a damaged database: reading it throws.
#pragma once

#include <optional>
#include <string_view>

#include "pilemesh/ledger/kv_state.hpp"
#include "pilemesh/ledger/payloads.hpp"
#include "pilemesh/ledger/service_records.hpp"

namespace pilemesh::ledger {

namespace state_keys {
Bytes account(const PublicKey& key);
Bytes member(const PublicKey& key);
Bytes pile(std::string_view pile_id);
Bytes pile_info(std::string_view pile_id);
Bytes pile_slots(std::string_view pile_id);
Bytes charge(const Hash& tx);
Bytes booking(const Hash& tx);
Bytes topup(const Hash& tx);
Bytes rating(const Hash& tx);
Bytes charge_request(const Hash& tx);
Bytes supply();
Bytes params();
}  // namespace state_keys

// Read-only typed access, for contracts and for queries of the committed state.
class ServiceReader {
 public:
  explicit ServiceReader(const KvState& state) : state_(state) {}

  AccountRecord account(const PublicKey& key) const;  // a fresh account when none is stored
  std::optional<MemberRecord> member(const PublicKey& key) const;
  std::optional<PileRecord> pile(std::string_view pile_id) const;
  std::optional<PileInfo> pile_info(std::string_view pile_id) const;
  PileSlots pile_slots(std::string_view pile_id) const;
  std::optional<ChargeRecord> charge(const Hash& tx) const;
  std::optional<BookingRecord> booking(const Hash& id) const;
  std::optional<TopUpRecord> topup(const Hash& id) const;
  std::optional<RatingRecord> rating(const Hash& id) const;
  std::optional<ChargeRequestRecord> charge_request(const Hash& id) const;
  Supply supply() const;

 protected:
  const KvState& state_;
};

// Typed writes on top of the reads.
class ServiceState : public ServiceReader {
 public:
  explicit ServiceState(KvState& state) : ServiceReader(state), out_(state) {}

  void put(const PublicKey& key, const AccountRecord& r);
  void put(const PublicKey& key, const MemberRecord& r);
  void put(std::string_view pile_id, const PileRecord& r);
  void put(std::string_view pile_id, const PileInfo& r);
  void put(std::string_view pile_id, const PileSlots& r);
  void put_charge(const Hash& tx, const ChargeRecord& r);
  void put(const Hash& id, const BookingRecord& r);
  void put(const Hash& id, const TopUpRecord& r);
  void put(const Hash& id, const RatingRecord& r);
  void put(const Hash& id, const ChargeRequestRecord& r);
  void put(const Supply& s);

 private:
  KvState& out_;
};

}  // namespace pilemesh::ledger

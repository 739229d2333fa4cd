#include "pilemesh/ledger/service_state.hpp"

#include <stdexcept>

#include "pilemesh/ledger/service_codec.hpp"

namespace pilemesh::ledger {
namespace state_keys {
namespace {

Bytes key_of(std::string_view prefix, std::span<const std::uint8_t> id) {
  Bytes k(prefix.begin(), prefix.end());
  k.insert(k.end(), id.begin(), id.end());
  return k;
}
std::span<const std::uint8_t> text(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

}  // namespace

Bytes account(const PublicKey& key) {
  return key_of("acct/", key.bytes);
}
Bytes member(const PublicKey& key) {
  return key_of("member/", key.bytes);
}
Bytes pile(std::string_view id) {
  return key_of("pile/", text(id));
}
Bytes pile_info(std::string_view id) {
  return key_of("pileinfo/", text(id));
}
Bytes pile_slots(std::string_view id) {
  return key_of("slots/", text(id));
}
Bytes charge(const Hash& tx) {
  return key_of("charge/", tx.bytes);
}
Bytes booking(const Hash& tx) {
  return key_of("booking/", tx.bytes);
}
Bytes topup(const Hash& tx) {
  return key_of("topup/", tx.bytes);
}
Bytes rating(const Hash& tx) {
  return key_of("rating/", tx.bytes);
}
Bytes charge_request(const Hash& tx) {
  return key_of("request/", tx.bytes);
}
Bytes supply() {
  return key_of("meta/", text("supply"));
}
Bytes params() {
  return key_of("meta/", text("params"));
}

}  // namespace state_keys

namespace {

template <class T>
std::optional<T> decoded(const std::optional<Bytes>& bytes,
                         std::optional<T> (*decode)(std::span<const std::uint8_t>, std::string&)) {
  if (!bytes) return std::nullopt;
  std::string error;
  auto value = decode(*bytes, error);
  // Only the contracts write state; a record that does not decode is a damaged database.
  if (!value) throw std::runtime_error("corrupt state record: " + error);
  return value;
}

template <class T>
std::optional<T> service_record(const KvState& s, const Bytes& key) {
  return decoded<T>(s.get(key), &decode_service<T>);
}

}  // namespace

AccountRecord ServiceReader::account(const PublicKey& key) const {
  return decoded<AccountRecord>(state_.get(state_keys::account(key)), &decode_account)
      .value_or(AccountRecord{});
}
std::optional<MemberRecord> ServiceReader::member(const PublicKey& key) const {
  return service_record<MemberRecord>(state_, state_keys::member(key));
}
std::optional<PileRecord> ServiceReader::pile(std::string_view id) const {
  return decoded<PileRecord>(state_.get(state_keys::pile(id)), &decode_pile);
}
std::optional<PileInfo> ServiceReader::pile_info(std::string_view id) const {
  return service_record<PileInfo>(state_, state_keys::pile_info(id));
}
PileSlots ServiceReader::pile_slots(std::string_view id) const {
  return service_record<PileSlots>(state_, state_keys::pile_slots(id)).value_or(PileSlots{});
}
std::optional<ChargeRecord> ServiceReader::charge(const Hash& tx) const {
  return decoded<ChargeRecord>(state_.get(state_keys::charge(tx)), &decode_charge);
}
std::optional<BookingRecord> ServiceReader::booking(const Hash& id) const {
  return service_record<BookingRecord>(state_, state_keys::booking(id));
}
std::optional<TopUpRecord> ServiceReader::topup(const Hash& id) const {
  return service_record<TopUpRecord>(state_, state_keys::topup(id));
}
std::optional<RatingRecord> ServiceReader::rating(const Hash& id) const {
  return service_record<RatingRecord>(state_, state_keys::rating(id));
}
std::optional<ChargeRequestRecord> ServiceReader::charge_request(const Hash& id) const {
  return service_record<ChargeRequestRecord>(state_, state_keys::charge_request(id));
}
Supply ServiceReader::supply() const {
  return service_record<Supply>(state_, state_keys::supply()).value_or(Supply{});
}

void ServiceState::put(const PublicKey& key, const AccountRecord& r) {
  out_.put(state_keys::account(key), encode(r));
}
void ServiceState::put(const PublicKey& key, const MemberRecord& r) {
  out_.put(state_keys::member(key), encode_service(r));
}
void ServiceState::put(std::string_view id, const PileRecord& r) {
  out_.put(state_keys::pile(id), encode(r));
}
void ServiceState::put(std::string_view id, const PileInfo& r) {
  out_.put(state_keys::pile_info(id), encode_service(r));
}
void ServiceState::put(std::string_view id, const PileSlots& r) {
  if (r.slots.empty()) {
    out_.erase(state_keys::pile_slots(id));
  } else {
    out_.put(state_keys::pile_slots(id), encode_service(r));
  }
}
void ServiceState::put_charge(const Hash& tx, const ChargeRecord& r) {
  out_.put(state_keys::charge(tx), encode(r));
}
void ServiceState::put(const Hash& id, const BookingRecord& r) {
  out_.put(state_keys::booking(id), encode_service(r));
}
void ServiceState::put(const Hash& id, const TopUpRecord& r) {
  out_.put(state_keys::topup(id), encode_service(r));
}
void ServiceState::put(const Hash& id, const RatingRecord& r) {
  out_.put(state_keys::rating(id), encode_service(r));
}
void ServiceState::put(const Hash& id, const ChargeRequestRecord& r) {
  out_.put(state_keys::charge_request(id), encode_service(r));
}
void ServiceState::put(const Supply& s) {
  out_.put(state_keys::supply(), encode_service(s));
}

}  // namespace pilemesh::ledger

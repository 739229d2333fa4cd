#include "pilemesh/ledger/service_codec.hpp"

#include <nlohmann/json.hpp>

#include "field_io.hpp"
#include "field_json.hpp"

namespace pilemesh::ledger {
namespace {

using detail::FieldReader;
using detail::FieldWriter;

// Each record and payload starts with this version byte, so that a later layout can be told
// apart from this one.
constexpr std::uint8_t kServiceEncodingVersion = 1;

// ---- Parts ------------------------------------------------------------------------------------

template <class IO>
bool fields(IO& io, Connector& c) {
  return io.enum8("type", c.type, ConnectorType::kType2, ConnectorType::kNacs) &&
         io.u32("max_power_w", c.max_power_w);
}

template <class IO>
bool fields(IO& io, WeeklyWindow& w) {
  return io.u8("weekdays", w.weekdays) && io.u16("from_minute", w.from_minute) &&
         io.u16("to_minute", w.to_minute);
}

template <class IO>
bool fields(IO& io, TimeRange& t) {
  return io.i64("from_ms", t.from_ms) && io.i64("to_ms", t.to_ms);
}

template <class IO>
bool fields(IO& io, TouWindow& t) {
  return fields(io, t.when) && io.u64("price_per_kwh", t.price_per_kwh);
}

template <class IO>
bool fields(IO& io, LiveSlot& s) {
  return io.i64("start_ms", s.start_ms) && io.i64("end_ms", s.end_ms) &&
         io.hash("booking", s.booking);
}

template <class IO>
bool fields(IO& io, GuardianApproval& a) {
  return io.key("guardian", a.guardian) && io.signature("signature", a.signature);
}

template <class IO>
bool fields(IO& io, AuctionBid& b) {
  return io.string("pile_id", b.pile_id, 32) && io.key("owner", b.owner) &&
         io.u32("power_w", b.power_w) && io.u64("price", b.price) && io.u64("deposit", b.deposit);
}

// A list whose items have their own fields() (declared above: they are found where the
// template is defined).
template <class IO, class V>
bool items(IO& io, Field f, std::vector<V>& list, std::size_t limit, std::size_t min_bytes) {
  return io.list(f, list, limit, min_bytes,
                 [](IO& inner, V& item, std::size_t) { return fields(inner, item); });
}
template <class IO>
bool keys(IO& io, Field f, std::vector<PublicKey>& list, std::size_t limit) {
  return io.list(f, list, limit, 32,
                 [](IO& inner, PublicKey& k, std::size_t) { return inner.key("key", k); });
}
template <class IO>
bool hashes(IO& io, Field f, std::vector<Hash>& list, std::size_t limit) {
  return io.list(f, list, limit, 32,
                 [](IO& inner, Hash& h, std::size_t) { return inner.hash("hash", h); });
}

template <class IO>
bool fields(IO& io, PileSpec& s) {
  return io.string("geohash", s.geohash, kMaxGeohashBytes) &&
         io.bytes("sealed_address", s.sealed_address, kMaxSealedAddressBytes) &&
         items(io, "connectors", s.connectors, kMaxConnectors, 5) && io.u8("phases", s.phases) &&
         io.u32("amenities", s.amenities) &&
         items(io, "availability", s.availability, kMaxWeeklyWindows, 5) &&
         items(io, "closures", s.closures, kMaxClosures, 16);
}

template <class IO>
bool fields(IO& io, Tariff& t) {
  return io.u64("price_per_kwh", t.price_per_kwh) &&
         io.u64("price_per_minute", t.price_per_minute) &&
         io.u64("idle_per_minute", t.idle_per_minute) && io.u64("booking_fee", t.booking_fee) &&
         io.i64("free_cancel_before_ms", t.free_cancel_before_ms) &&
         io.u64("cancel_fee", t.cancel_fee) && io.u64("no_show_fee", t.no_show_fee) &&
         items(io, "time_of_use", t.time_of_use, kMaxTouWindows, 13);
}

template <class IO>
bool role(IO& io, Role& r) {
  return io.enum8("role", r, Role::kEvUser, Role::kAdmin);
}
template <class IO>
bool status(IO& io, MemberStatus& s) {
  return io.enum8("status", s, MemberStatus::kPending, MemberStatus::kMoved);
}

// ---- Records ----------------------------------------------------------------------------------

template <class IO>
bool fields(IO& io, MemberRecord& m) {
  return role(io, m.role) && status(io, m.status) && io.hash("profile_hash", m.profile_hash) &&
         io.i64("joined_ms", m.joined_ms) && keys(io, "attesters", m.attesters, kMaxAttesters) &&
         io.string("reason", m.reason, kMaxReasonBytes) && io.i64("credibility", m.credibility) &&
         io.u64("sessions", m.sessions) && io.u64("debt", m.debt) &&
         keys(io, "guardians", m.guardians, kMaxGuardians) &&
         io.u8("guardian_threshold", m.guardian_threshold) &&
         hashes(io, "recovery_code_hashes", m.recovery_code_hashes, kMaxRecoveryCodes) &&
         io.key("moved_to", m.moved_to);
}

template <class IO>
bool fields(IO& io, PileInfo& p) {
  return status(io, p.status) && fields(io, p.spec) &&
         keys(io, "attesters", p.attesters, kMaxAttesters) &&
         io.string("reason", p.reason, kMaxReasonBytes) && io.boolean("has_tariff", p.has_tariff) &&
         fields(io, p.tariff) && io.u32("tariff_version", p.tariff_version) &&
         io.i64("score", p.score) && io.u64("ratings", p.ratings) &&
         io.i64("registered_ms", p.registered_ms);
}

template <class IO>
bool fields(IO& io, BookingRecord& b) {
  return io.string("pile_id", b.pile_id, 32) && io.key("member", b.member) &&
         io.i64("start_ms", b.start_ms) && io.i64("end_ms", b.end_ms) && fields(io, b.tariff) &&
         io.u32("tariff_version", b.tariff_version) && io.u64("escrow", b.escrow) &&
         io.hash("token_hash", b.token_hash) &&
         io.enum8("status", b.status, BookingStatus::kBooked, BookingStatus::kNoShow) &&
         io.i64("booked_ms", b.booked_ms) && io.i64("started_ms", b.started_ms) &&
         io.u64("meter_start_wh", b.meter_start_wh) && io.i64("stopped_ms", b.stopped_ms) &&
         io.u64("energy_wh", b.energy_wh) && io.hash("meter_chain_hash", b.meter_chain_hash) &&
         io.u32("meter_values", b.meter_values) &&
         io.enum8("stop_reason", b.stop_reason, StopReason::kByUser, StopReason::kSlotEnd) &&
         io.u64("energy_cost", b.energy_cost) && io.u64("time_cost", b.time_cost) &&
         io.u64("fees", b.fees) && io.u64("paid", b.paid) && io.u64("refunded", b.refunded) &&
         io.u64("unpaid", b.unpaid) && io.i8("behaviour", b.behaviour) &&
         io.hash("charging_tx", b.charging_tx) && io.hash("rating_tx", b.rating_tx);
}

template <class IO>
bool fields(IO& io, PileSlots& s) {
  return items(io, "slots", s.slots, kMaxLiveBookingsPerPile, 48);
}

template <class IO>
bool fields(IO& io, TopUpRecord& t) {
  return io.key("member", t.member) && io.key("payee", t.payee) && io.u64("amount", t.amount) &&
         io.enum8("method", t.method, TopUpMethod::kManual, kLastTopUpMethod) &&
         io.string("reference", t.reference, kMaxReferenceBytes) &&
         io.enum8("status", t.status, TopUpStatus::kRequested, TopUpStatus::kConfirmed) &&
         io.i64("requested_ms", t.requested_ms) && io.i64("confirmed_ms", t.confirmed_ms);
}

template <class IO>
bool fields(IO& io, RatingRecord& r) {
  return io.hash("booking", r.booking) && io.string("pile_id", r.pile_id, 32) &&
         io.key("member", r.member) && io.u8("score", r.score) &&
         io.hash("review_hash", r.review_hash) && io.hash("response_hash", r.response_hash) &&
         io.i64("rated_ms", r.rated_ms);
}

template <class IO>
bool fields(IO& io, ServiceParams& p) {
  return io.u32("attestations_to_verify", p.attestations_to_verify) &&
         io.i64("min_credibility", p.min_credibility) &&
         io.i64("no_show_grace_ms", p.no_show_grace_ms) &&
         io.i64("late_grace_ms", p.late_grace_ms) && io.i64("start_early_ms", p.start_early_ms) &&
         io.i64("immediate_slack_ms", p.immediate_slack_ms) &&
         io.i64("max_booking_ms", p.max_booking_ms) &&
         io.i64("max_booking_ahead_ms", p.max_booking_ahead_ms) &&
         io.i32("utc_offset_minutes", p.utc_offset_minutes) &&
         io.i64("reputation_mu", p.reputation_mu) &&
         io.i64("reputation_sigma", p.reputation_sigma) && io.string("currency", p.currency, 3);
}

template <class IO>
bool fields(IO& io, ChargeRequestRecord& r) {
  return io.key("member", r.member) && io.string("geohash", r.geohash, kMaxGeohashBytes) &&
         io.u8("area_chars", r.area_chars) && io.u64("energy_wh", r.energy_wh) &&
         io.i64("start_ms", r.start_ms) && io.i64("end_ms", r.end_ms) &&
         io.u64("price_ceiling", r.price_ceiling) && io.i64("deadline_ms", r.deadline_ms) &&
         io.hash("token_hash", r.token_hash) &&
         io.enum8("status", r.status, AuctionStatus::kOpen, AuctionStatus::kUnfilled) &&
         items(io, "bids", r.bids, kMaxBidsPerRequest, 60) && io.string("winner", r.winner, 32) &&
         io.hash("booking", r.booking) && io.hash("commitment", r.commitment) &&
         io.boolean("revealed", r.revealed);
}

template <class IO>
bool fields(IO& io, PostChargeRequestPayload& p) {
  return io.string("geohash", p.geohash, kMaxGeohashBytes) && io.u8("area_chars", p.area_chars) &&
         io.u64("energy_wh", p.energy_wh) && io.i64("start_ms", p.start_ms) &&
         io.i64("end_ms", p.end_ms) && io.u64("price_ceiling", p.price_ceiling) &&
         io.i64("deadline_ms", p.deadline_ms) && io.hash("token_hash", p.token_hash);
}

template <class IO>
bool fields(IO& io, BidPayload& p) {
  return io.hash("request", p.request) && io.string("pile_id", p.pile_id, 32) &&
         io.u32("power_w", p.power_w) && io.u64("price", p.price) && io.u64("deposit", p.deposit);
}

template <class IO>
bool fields(IO& io, CloseAuctionPayload& p) {
  return io.hash("request", p.request) && io.hash("commitment", p.commitment);
}

template <class IO>
bool fields(IO& io, RevealDecisionPayload& p) {
  return io.hash("request", p.request) && io.hash("r", p.r);
}

template <class IO>
bool fields(IO& io, Supply& s) {
  return io.u64("total", s.total);
}

// ---- Payloads ---------------------------------------------------------------------------------

template <class IO>
bool fields(IO& io, RegisterMemberPayload& p) {
  return role(io, p.role) && io.hash("profile_hash", p.profile_hash);
}

template <class IO>
bool fields(IO& io, SubjectPayload& p) {
  return io.enum8("kind", p.kind, SubjectKind::kMember, SubjectKind::kPile) &&
         io.key("member", p.member) && io.string("pile_id", p.pile_id, 32) &&
         io.string("reason", p.reason, kMaxReasonBytes);
}

template <class IO>
bool fields(IO& io, SuspendPayload& p) {
  return io.key("member", p.member) && io.boolean("suspend", p.suspend) &&
         io.string("reason", p.reason, kMaxReasonBytes);
}

template <class IO>
bool fields(IO& io, UpdateProfilePayload& p) {
  return io.hash("profile_hash", p.profile_hash);
}

template <class IO>
bool fields(IO& io, PileSpecPayload& p) {
  return io.string("pile_id", p.pile_id, 32) && fields(io, p.spec);
}

template <class IO>
bool fields(IO& io, PileIdPayload& p) {
  return io.string("pile_id", p.pile_id, 32);
}

template <class IO>
bool fields(IO& io, SetRecoveryPayload& p) {
  return keys(io, "guardians", p.guardians, kMaxGuardians) && io.u8("threshold", p.threshold) &&
         hashes(io, "code_hashes", p.code_hashes, kMaxRecoveryCodes);
}

template <class IO>
bool fields(IO& io, RecoverAccountPayload& p) {
  return io.key("old_key", p.old_key) &&
         io.string("recovery_code", p.recovery_code, kMaxTokenBytes) &&
         items(io, "approvals", p.approvals, kMaxGuardians, 96);
}

template <class IO>
bool fields(IO& io, SetTariffPayload& p) {
  return io.string("pile_id", p.pile_id, 32) && fields(io, p.tariff);
}

template <class IO>
bool fields(IO& io, BookPayload& p) {
  return io.string("pile_id", p.pile_id, 32) && io.i64("start_ms", p.start_ms) &&
         io.i64("end_ms", p.end_ms) && io.hash("token_hash", p.token_hash) &&
         io.u64("max_deposit", p.max_deposit);
}

template <class IO>
bool fields(IO& io, ModifyBookingPayload& p) {
  return io.hash("booking", p.booking) && io.i64("start_ms", p.start_ms) &&
         io.i64("end_ms", p.end_ms) && io.u64("max_deposit", p.max_deposit);
}

template <class IO>
bool fields(IO& io, BookingIdPayload& p) {
  return io.hash("booking", p.booking);
}

template <class IO>
bool fields(IO& io, StartSessionPayload& p) {
  return io.hash("booking", p.booking) && io.string("token", p.token, kMaxTokenBytes) &&
         io.u64("meter_start_wh", p.meter_start_wh);
}

template <class IO>
bool fields(IO& io, StopSessionPayload& p) {
  return io.hash("booking", p.booking) && io.u64("meter_stop_wh", p.meter_stop_wh) &&
         io.hash("meter_chain_hash", p.meter_chain_hash) &&
         io.u32("meter_values", p.meter_values) &&
         io.enum8("reason", p.reason, StopReason::kByUser, StopReason::kSlotEnd) &&
         io.hash("prev_pile_charging", p.prev_pile_charging) &&
         io.hash("prev_ev_charging", p.prev_ev_charging);
}

template <class IO>
bool fields(IO& io, RateSessionPayload& p) {
  return io.hash("booking", p.booking) && io.u8("score", p.score) &&
         io.hash("review_hash", p.review_hash) &&
         io.hash("prev_pile_evaluation", p.prev_pile_evaluation) &&
         io.hash("prev_ev_evaluation", p.prev_ev_evaluation);
}

template <class IO>
bool fields(IO& io, RespondRatingPayload& p) {
  return io.hash("rating", p.rating) && io.hash("response_hash", p.response_hash);
}

template <class IO>
bool fields(IO& io, RequestTopUpPayload& p) {
  return io.u64("amount", p.amount) &&
         io.enum8("method", p.method, TopUpMethod::kManual, kLastTopUpMethod) &&
         io.key("payee", p.payee) && io.string("reference", p.reference, kMaxReferenceBytes);
}

template <class IO>
bool fields(IO& io, ConfirmTopUpPayload& p) {
  return io.hash("request", p.request);
}

template <class IO>
bool fields(IO& io, WithdrawPayload& p) {
  return io.u64("amount", p.amount) && io.key("payee", p.payee);
}

}  // namespace

template <class T>
Bytes encode_service(const T& value) {
  Writer w(64);
  w.u8(kServiceEncodingVersion);
  FieldWriter io(w);
  // The writer only reads through the reference; fields() is shared with the reader.
  fields(io, const_cast<T&>(value));
  return w.take();
}

template <class T>
std::optional<T> decode_service(std::span<const std::uint8_t> bytes, std::string& error) {
  Reader r(bytes);
  std::uint8_t version = 0;
  T value{};
  FieldReader io(r);
  if (r.u8("version", version) &&
      (version == kServiceEncodingVersion ||
       r.fail("version", "unknown version " + std::to_string(version))) &&
      fields(io, value) && r.finish()) {
    return value;
  }
  error = r.error();
  return std::nullopt;
}

template <class T>
nlohmann::json service_to_json(const T& value) {
  nlohmann::json out = nlohmann::json::object();
  detail::JsonFieldWriter io(out);
  fields(io, const_cast<T&>(value));
  return out;
}

template <class T>
std::optional<T> service_from_json(const nlohmann::json& json, std::string& error) {
  error.clear();
  T value{};
  detail::JsonFieldReader io(json, error);
  if (!json.is_object()) {
    error = "expected a JSON object";
    return std::nullopt;
  }
  if (fields(io, value) && io.finish()) return value;
  if (error.empty()) error = "invalid";
  return std::nullopt;
}

#define PILEMESH_SERVICE_CODEC(T)                                                           \
  template Bytes encode_service<T>(const T&);                                               \
  template std::optional<T> decode_service<T>(std::span<const std::uint8_t>, std::string&); \
  template nlohmann::json service_to_json<T>(const T&);                                     \
  template std::optional<T> service_from_json<T>(const nlohmann::json&, std::string&);

PILEMESH_SERVICE_CODEC(MemberRecord)
PILEMESH_SERVICE_CODEC(PileInfo)
PILEMESH_SERVICE_CODEC(BookingRecord)
PILEMESH_SERVICE_CODEC(PileSlots)
PILEMESH_SERVICE_CODEC(TopUpRecord)
PILEMESH_SERVICE_CODEC(RatingRecord)
PILEMESH_SERVICE_CODEC(Supply)
PILEMESH_SERVICE_CODEC(ServiceParams)
PILEMESH_SERVICE_CODEC(Tariff)
PILEMESH_SERVICE_CODEC(PileSpec)
PILEMESH_SERVICE_CODEC(RegisterMemberPayload)
PILEMESH_SERVICE_CODEC(SubjectPayload)
PILEMESH_SERVICE_CODEC(SuspendPayload)
PILEMESH_SERVICE_CODEC(UpdateProfilePayload)
PILEMESH_SERVICE_CODEC(PileSpecPayload)
PILEMESH_SERVICE_CODEC(PileIdPayload)
PILEMESH_SERVICE_CODEC(SetRecoveryPayload)
PILEMESH_SERVICE_CODEC(RecoverAccountPayload)
PILEMESH_SERVICE_CODEC(SetTariffPayload)
PILEMESH_SERVICE_CODEC(BookPayload)
PILEMESH_SERVICE_CODEC(ModifyBookingPayload)
PILEMESH_SERVICE_CODEC(BookingIdPayload)
PILEMESH_SERVICE_CODEC(StartSessionPayload)
PILEMESH_SERVICE_CODEC(StopSessionPayload)
PILEMESH_SERVICE_CODEC(RateSessionPayload)
PILEMESH_SERVICE_CODEC(RespondRatingPayload)
PILEMESH_SERVICE_CODEC(RequestTopUpPayload)
PILEMESH_SERVICE_CODEC(ConfirmTopUpPayload)
PILEMESH_SERVICE_CODEC(WithdrawPayload)
PILEMESH_SERVICE_CODEC(ChargeRequestRecord)
PILEMESH_SERVICE_CODEC(PostChargeRequestPayload)
PILEMESH_SERVICE_CODEC(BidPayload)
PILEMESH_SERVICE_CODEC(CloseAuctionPayload)
PILEMESH_SERVICE_CODEC(RevealDecisionPayload)

#undef PILEMESH_SERVICE_CODEC

Hash decision_commitment(const PublicKey& member, std::string_view pile_id, const Hash& r) {
  Writer w(128);
  w.string("pilemesh/decision/v1");
  w.raw(member.bytes);
  w.string(pile_id);
  w.raw(r.bytes);
  return sha256(w.data());
}

Bytes recovery_message(std::string_view chain_id, const PublicKey& old_key,
                       const PublicKey& new_key) {
  Writer w(96);
  w.string("pilemesh/recover-account/v1");
  w.string(chain_id);
  w.raw(old_key.bytes);
  w.raw(new_key.bytes);
  return w.take();
}

}  // namespace pilemesh::ledger

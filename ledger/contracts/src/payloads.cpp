#include "pilemesh/ledger/payloads.hpp"

namespace pilemesh::ledger {
namespace {

// Each record starts with a version byte, so that a later layout can be told apart.
constexpr std::uint8_t kPayloadVersion = 1;

void put(Writer& w, const Hash& h) {
  w.raw(h.bytes);
}
void put(Writer& w, const PublicKey& k) {
  w.raw(k.bytes);
}
bool get(Reader& r, Field f, Hash& h) {
  return r.raw(f, h.bytes);
}
bool get(Reader& r, Field f, PublicKey& k) {
  return r.raw(f, k.bytes);
}

bool version(Reader& r) {
  std::uint8_t v = 0;
  if (!r.u8("version", v)) return false;
  return v == kPayloadVersion || r.fail("version", "unknown version " + std::to_string(v));
}

bool pile_id(Reader& r, std::string& out) {
  if (!r.string("pile_id", kMaxPileIdBytes, out)) return false;
  return is_valid_pile_id(out) || r.fail("pile_id", "must be 1-32 of [a-z0-9_-]");
}

template <class T, class Fn>
std::optional<T> decode_with(std::span<const std::uint8_t> bytes, std::string& error, Fn&& fields) {
  Reader r(bytes);
  T value;
  if (version(r) && fields(r, value) && r.finish()) return value;
  error = r.error();
  return std::nullopt;
}

}  // namespace

bool is_valid_pile_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxPileIdBytes) return false;
  for (char c : id)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  return true;
}

Bytes encode(const TransferPayload& p) {
  Writer w(48);
  w.u8(kPayloadVersion);
  put(w, p.to);
  w.u64(p.amount);
  return w.take();
}

Bytes encode(const ChargingRecordPayload& p) {
  Writer w(160);
  w.u8(kPayloadVersion);
  w.string(p.pile_id);
  put(w, p.ev);
  w.u64(p.energy_wh);
  w.i64(p.started_ms);
  w.i64(p.stopped_ms);
  put(w, p.prev_pile_charging);
  put(w, p.prev_ev_charging);
  return w.take();
}

Bytes encode(const EvaluationPayload& p) {
  Writer w(144);
  w.u8(kPayloadVersion);
  w.string(p.pile_id);
  put(w, p.charging_tx);
  w.u8(p.score);
  put(w, p.prev_pile_evaluation);
  put(w, p.prev_ev_evaluation);
  return w.take();
}

Bytes encode(const AccountRecord& r) {
  Writer w(88);
  w.u8(kPayloadVersion);
  w.u64(r.nonce);
  w.u64(r.balance);
  put(w, r.last_charging);
  put(w, r.last_evaluation);
  return w.take();
}

Bytes encode(const PileRecord& r) {
  Writer w(120);
  w.u8(kPayloadVersion);
  put(w, r.owner);
  put(w, r.last_charging);
  put(w, r.last_evaluation);
  w.u64(r.charging_count);
  w.u64(r.evaluation_count);
  return w.take();
}

Bytes encode(const ChargeRecord& r) {
  Writer w(72);
  w.u8(kPayloadVersion);
  w.string(r.pile_id);
  put(w, r.ev);
  w.u8(r.rated ? 1 : 0);
  return w.take();
}

std::optional<TransferPayload> decode_transfer(std::span<const std::uint8_t> b,
                                               std::string& error) {
  return decode_with<TransferPayload>(b, error, [](Reader& r, TransferPayload& p) {
    return get(r, "to", p.to) && r.u64("amount", p.amount);
  });
}

std::optional<ChargingRecordPayload> decode_charging(std::span<const std::uint8_t> b,
                                                     std::string& error) {
  return decode_with<ChargingRecordPayload>(b, error, [](Reader& r, ChargingRecordPayload& p) {
    return pile_id(r, p.pile_id) && get(r, "ev", p.ev) && r.u64("energy_wh", p.energy_wh) &&
           r.i64("started_ms", p.started_ms) && r.i64("stopped_ms", p.stopped_ms) &&
           get(r, "prev_pile_charging", p.prev_pile_charging) &&
           get(r, "prev_ev_charging", p.prev_ev_charging);
  });
}

std::optional<EvaluationPayload> decode_evaluation(std::span<const std::uint8_t> b,
                                                   std::string& error) {
  return decode_with<EvaluationPayload>(b, error, [](Reader& r, EvaluationPayload& p) {
    return pile_id(r, p.pile_id) && get(r, "charging_tx", p.charging_tx) &&
           r.u8("score", p.score) && get(r, "prev_pile_evaluation", p.prev_pile_evaluation) &&
           get(r, "prev_ev_evaluation", p.prev_ev_evaluation);
  });
}

std::optional<AccountRecord> decode_account(std::span<const std::uint8_t> b, std::string& error) {
  return decode_with<AccountRecord>(b, error, [](Reader& r, AccountRecord& a) {
    return r.u64("nonce", a.nonce) && r.u64("balance", a.balance) &&
           get(r, "last_charging", a.last_charging) && get(r, "last_evaluation", a.last_evaluation);
  });
}

std::optional<PileRecord> decode_pile(std::span<const std::uint8_t> b, std::string& error) {
  return decode_with<PileRecord>(b, error, [](Reader& r, PileRecord& p) {
    return get(r, "owner", p.owner) && get(r, "last_charging", p.last_charging) &&
           get(r, "last_evaluation", p.last_evaluation) &&
           r.u64("charging_count", p.charging_count) &&
           r.u64("evaluation_count", p.evaluation_count);
  });
}

std::optional<ChargeRecord> decode_charge(std::span<const std::uint8_t> b, std::string& error) {
  return decode_with<ChargeRecord>(b, error, [](Reader& r, ChargeRecord& c) {
    std::uint8_t rated = 0;
    if (!(pile_id(r, c.pile_id) && get(r, "ev", c.ev) && r.u8("rated", rated))) return false;
    if (rated > 1) return r.fail("rated", "must be 0 or 1");
    c.rated = rated == 1;
    return true;
  });
}

}  // namespace pilemesh::ledger

#include "pilemesh/gateway/pile_status.hpp"

#include "pilemesh/ledger/payloads.hpp"

namespace pilemesh::gateway {
namespace {

constexpr std::string_view kDomain = "pilemesh/pile-status/v1";

void write_unsigned(ledger::Writer& w, const PileStatusAnnouncement& a) {
  w.u8(kPileStatusVersion);
  w.string(a.pile_id);
  w.u8(static_cast<std::uint8_t>(a.status));
  w.i64(a.time_ms);
  w.raw(a.signer.bytes);
}

ledger::Bytes signing_bytes(const PileStatusAnnouncement& a, std::string_view chain_id) {
  ledger::Writer w;
  w.raw(std::span(reinterpret_cast<const std::uint8_t*>(kDomain.data()), kDomain.size()));
  w.string(chain_id);
  write_unsigned(w, a);
  return w.take();
}

}  // namespace

std::string_view to_string(PileAvailability a) {
  switch (a) {
    case PileAvailability::kAvailable:
      return "available";
    case PileAvailability::kOccupied:
      return "occupied";
    case PileAvailability::kFaulted:
      return "faulted";
    case PileAvailability::kOffline:
      return "offline";
  }
  return "unknown";
}

PileAvailability availability_of(const PileState& pile) {
  if (!pile.health.online || pile.status.empty()) return PileAvailability::kOffline;
  PileAvailability worst = PileAvailability::kAvailable;
  for (const auto& [connector, status] : pile.status) {
    switch (status.state) {
      case hal::ConnectorState::kFaulted:
      case hal::ConnectorState::kUnavailable:
        return PileAvailability::kFaulted;
      case hal::ConnectorState::kAvailable:
        break;
      default:
        worst = PileAvailability::kOccupied;
    }
  }
  return worst;
}

PileStatusAnnouncement sign_pile_status(const ledger::KeyStore& key, std::string_view chain_id,
                                        std::string pile_id, PileAvailability status,
                                        std::int64_t time_ms) {
  PileStatusAnnouncement a{std::move(pile_id), status, time_ms, key.public_key(), {}};
  a.signature = key.sign(signing_bytes(a, chain_id));
  return a;
}

bool verify_pile_status(const PileStatusAnnouncement& a, std::string_view chain_id) {
  return ledger::verify(a.signer, signing_bytes(a, chain_id), a.signature);
}

ledger::Bytes encode(const PileStatusAnnouncement& a) {
  ledger::Writer w;
  write_unsigned(w, a);
  w.raw(a.signature.bytes);
  return w.take();
}

std::optional<PileStatusAnnouncement> decode_pile_status(std::span<const std::uint8_t> bytes,
                                                         std::string& error) {
  ledger::Reader r(bytes);
  PileStatusAnnouncement a;
  std::uint8_t version = 0, status = 0;
  bool ok = r.u8("version", version);
  if (ok && version != kPileStatusVersion) ok = r.fail("version", "unknown version");
  ok = ok && r.string("pile_id", ledger::kMaxPileIdBytes, a.pile_id);
  if (ok && a.pile_id.empty()) ok = r.fail("pile_id", "empty");
  ok = ok && r.u8("status", status);
  if (ok && (status < 1 || status > 4)) ok = r.fail("status", "not 1..4");
  a.status = static_cast<PileAvailability>(status);
  ok = ok && r.i64("time_ms", a.time_ms) && r.raw("signer", a.signer.bytes) &&
       r.raw("signature", a.signature.bytes) && r.finish();
  if (!ok) {
    error = r.error();
    return std::nullopt;
  }
  return a;
}

}  // namespace pilemesh::gateway

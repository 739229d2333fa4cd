// Charging sessions (ITU clause 10.6; the transaction contract of section 3.3): the pile's
// gateway starts a session only for a booking whose access token the member showed (its hash
// is in the booking), with the meter reading at the start; it stops the session with the
// reading at the stop and the last link of the meter values' off-chain hash chain. The stop is
// the charging record of the block structure, with its back-pointers, and settles the escrow:
// energy × price + time fees + booking fee to the owner, the rest back to the member, and the
// member's behaviour B (formula 1).
#include "contracts_impl.hpp"
#include "pilemesh/ledger/pricing.hpp"

namespace pilemesh::ledger::contracts {
namespace {

TxResult load_pile_booking(const TxContext& c, const ServiceState& s, const Hash& id,
                           BookingRecord& booking, PileRecord& pile) {
  auto b = s.booking(id);
  if (!b) return fail(TxCode::kNotFound, "no booking " + short_id(id));
  auto p = s.pile(b->pile_id);
  if (!p) return fail(TxCode::kNotFound, "no pile \"" + b->pile_id + "\"");
  if (p->owner != c.tx.signer) {
    return fail(TxCode::kUnauthorized,
                "only the gateway of pile \"" + b->pile_id + "\" (its owner) runs its sessions");
  }
  booking = *b;
  pile = *p;
  return ok();
}

}  // namespace

TxResult start_session(const TxContext& c, ServiceState& s) {
  StartSessionPayload p;
  TxResult error;
  if (!decode_payload(c, "start session", p, error)) return error;
  BookingRecord b;
  PileRecord pile;
  if (TxResult r = load_pile_booking(c, s, p.booking, b, pile); !r.ok()) return r;
  if (b.status != BookingStatus::kBooked) {
    return fail(TxCode::kConflict, b.status == BookingStatus::kCharging
                                       ? "the session is running already"
                                       : "the booking is over");
  }
  if (sha256(p.token) != b.token_hash)
    return fail(TxCode::kUnauthorized, "the access token does not match the booking");
  if (c.time_ms < b.start_ms - c.params.start_early_ms)
    return fail(TxCode::kConflict, "the slot has not begun yet");
  if (c.time_ms >= b.end_ms) return fail(TxCode::kConflict, "the slot has ended");
  b.status = BookingStatus::kCharging;
  b.started_ms = c.time_ms;
  b.meter_start_wh = p.meter_start_wh;
  s.put(p.booking, b);
  return ok();
}

TxResult stop_session(const TxContext& c, ServiceState& s) {
  StopSessionPayload p;
  TxResult error;
  if (!decode_payload(c, "stop session", p, error)) return error;
  BookingRecord b;
  PileRecord pile;
  if (TxResult r = load_pile_booking(c, s, p.booking, b, pile); !r.ok()) return r;
  if (b.status != BookingStatus::kCharging)
    return fail(TxCode::kConflict, "no session of this booking is running");
  if (p.meter_stop_wh < b.meter_start_wh) {
    return fail(TxCode::kInvalidPayload, "the meter reads " + std::to_string(p.meter_stop_wh) +
                                             " Wh, less than the " +
                                             std::to_string(b.meter_start_wh) + " Wh at the start");
  }
  const std::uint64_t energy = p.meter_stop_wh - b.meter_start_wh;
  // The pile cannot have delivered more than its full power for the whole session (with a
  // minute's margin for the meter's own timing).
  const auto info = s.pile_info(b.pile_id);
  // Both factors are bounded (400 kW; a session of at most a few days), far from overflow.
  const std::uint64_t span_ms = static_cast<std::uint64_t>(c.time_ms - b.started_ms) + 60'000;
  const std::uint64_t ceiling_wh =
      std::uint64_t{info ? max_power_w(info->spec) : 0} * span_ms / 3'600'000;
  if (energy > ceiling_wh) {
    return fail(TxCode::kInvalidPayload, std::to_string(energy) +
                                             " Wh is more than the pile can deliver in the "
                                             "session's time");
  }
  AccountRecord ev = s.account(b.member);
  if (p.prev_pile_charging != pile.last_charging) {
    return fail(TxCode::kForgedPointer, "prev_pile_charging is " + short_id(p.prev_pile_charging) +
                                            ", the pile's last charging record is " +
                                            short_id(pile.last_charging));
  }
  if (p.prev_ev_charging != ev.last_charging) {
    return fail(TxCode::kForgedPointer, "prev_ev_charging is " + short_id(p.prev_ev_charging) +
                                            ", the member's last charging record is " +
                                            short_id(ev.last_charging));
  }
  const auto cost = session_cost(b, energy, b.started_ms, c.time_ms, c.params.utc_offset_minutes);
  if (!cost) return fail(TxCode::kInvalidPayload, "stop session: the cost would overflow");

  b.stopped_ms = c.time_ms;
  b.energy_wh = energy;
  b.meter_chain_hash = p.meter_chain_hash;
  b.meter_values = p.meter_values;
  b.stop_reason = p.reason;
  b.energy_cost = cost->energy;
  b.time_cost = cost->time;
  b.fees = cost->fees;
  const std::uint64_t shortfall = settle_escrow(s, b, pile.owner, cost->total());
  b.unpaid = shortfall;
  // Formula (1): paid and left on time +1, late 0, unpaid -1.
  b.behaviour = shortfall > 0 ? -1 : (c.time_ms > b.end_ms + c.params.late_grace_ms ? 0 : 1);
  b.status = BookingStatus::kCompleted;
  b.charging_tx = c.hash;
  s.put(p.booking, b);
  release_slot(s, b.pile_id, p.booking);

  if (auto m = s.member(b.member)) {
    m->credibility += b.behaviour;
    ++m->sessions;
    m->debt += shortfall;
    s.put(b.member, *m);
  }
  // The back-pointers: this record is now the pile's and the member's latest.
  pile.last_charging = c.hash;
  ++pile.charging_count;
  s.put(b.pile_id, pile);
  ev = s.account(b.member);  // settlement changed the balance
  ev.last_charging = c.hash;
  s.put(b.member, ev);
  s.put_charge(c.hash, ChargeRecord{b.pile_id, b.member, false});
  return ok();
}

}  // namespace pilemesh::ledger::contracts

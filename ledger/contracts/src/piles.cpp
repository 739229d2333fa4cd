// Piles (ITU clause 10.2, PCP management) and their tariffs: registration by a verified owner
// with a public coarse location and a sealed exact address, verification like members
// (members.cpp, attest), updates, retirement, and the tariff a booking copies.
#include "contracts_impl.hpp"

namespace pilemesh::ledger::contracts {

TxResult register_pile(const TxContext& c, ServiceState& s) {
  PileSpecPayload p;
  TxResult error;
  if (!decode_payload(c, "register pile", p, error)) return error;
  if (!is_valid_pile_id(p.pile_id))
    return fail(TxCode::kInvalidPayload, "register pile: pile_id must be 1-32 of [a-z0-9_-]");
  MemberRecord owner;
  if (TxResult r = require_active_member(s, c.tx.signer, "register a pile", &owner); !r.ok())
    return r;
  if (owner.role == Role::kEvUser) {
    return fail(TxCode::kUnauthorized,
                "an EV user does not register piles; register as a pile owner");
  }
  if (TxResult r = check_spec(p.spec); !r.ok()) return r;
  if (s.pile(p.pile_id)) return fail(TxCode::kConflict, "pile \"" + p.pile_id + "\" exists");
  PileRecord pile;
  pile.owner = c.tx.signer;
  PileInfo info;
  info.spec = std::move(p.spec);
  info.registered_ms = c.time_ms;
  // An admin's own piles, or a neighbourhood that asks for no attestations, need no vouching.
  if (owner.role == Role::kAdmin || c.params.attestations_to_verify == 0)
    info.status = MemberStatus::kVerified;
  s.put(p.pile_id, pile);
  s.put(p.pile_id, info);
  return ok();
}

TxResult update_pile(const TxContext& c, ServiceState& s) {
  PileSpecPayload p;
  TxResult error;
  if (!decode_payload(c, "update pile", p, error)) return error;
  PileInfo info;
  if (TxResult r = require_pile_owner(s, c, p.pile_id, nullptr, &info); !r.ok()) return r;
  if (info.status == MemberStatus::kRetired)
    return fail(TxCode::kConflict, "pile \"" + p.pile_id + "\" is retired");
  if (TxResult r = check_spec(p.spec); !r.ok()) return r;
  // Bookings already made keep their slots: availability applies to new bookings.
  info.spec = std::move(p.spec);
  s.put(p.pile_id, info);
  return ok();
}

TxResult retire_pile(const TxContext& c, ServiceState& s) {
  PileIdPayload p;
  TxResult error;
  if (!decode_payload(c, "retire pile", p, error)) return error;
  PileInfo info;
  if (TxResult r = require_pile_owner(s, c, p.pile_id, nullptr, &info); !r.ok()) return r;
  if (info.status == MemberStatus::kRetired)
    return fail(TxCode::kConflict, "pile \"" + p.pile_id + "\" is retired already");
  // Every booking still waiting is cancelled with a full refund; a running session must be
  // stopped first.
  PileSlots slots = s.pile_slots(p.pile_id);
  for (const LiveSlot& slot : slots.slots) {
    auto b = s.booking(slot.booking);
    if (!b) continue;
    if (b->status == BookingStatus::kCharging) {
      return fail(TxCode::kConflict,
                  "a session is running on pile \"" + p.pile_id + "\"; stop it first");
    }
  }
  for (const LiveSlot& slot : slots.slots) {
    auto b = s.booking(slot.booking);
    if (!b || b->status != BookingStatus::kBooked) continue;
    settle_escrow(s, *b, c.tx.signer, 0);
    b->status = BookingStatus::kCancelled;
    s.put(slot.booking, *b);
  }
  s.put(p.pile_id, PileSlots{});
  info.status = MemberStatus::kRetired;
  s.put(p.pile_id, info);
  return ok();
}

TxResult set_tariff(const TxContext& c, ServiceState& s) {
  SetTariffPayload p;
  TxResult error;
  if (!decode_payload(c, "set tariff", p, error)) return error;
  PileInfo info;
  if (TxResult r = require_pile_owner(s, c, p.pile_id, nullptr, &info); !r.ok()) return r;
  if (info.status == MemberStatus::kRetired)
    return fail(TxCode::kConflict, "pile \"" + p.pile_id + "\" is retired");
  if (TxResult r = check_tariff(p.tariff); !r.ok()) return r;
  info.tariff = std::move(p.tariff);
  info.has_tariff = true;
  ++info.tariff_version;
  s.put(p.pile_id, info);
  return ok();
}

}  // namespace pilemesh::ledger::contracts

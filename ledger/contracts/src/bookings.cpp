// Bookings (ITU clause 10.4): immediate or scheduled slots of a verified pile, inside its
// availability, never overlapping another live booking of the pile — the check runs in the
// block, so two members racing for one slot through different gateways can never both win.
// The deposit is locked in escrow (payments, 10.5); modify and cancel follow the tariff's
// cancellation policy; a no-show is released after the grace period.
#include <algorithm>

#include "contracts_impl.hpp"
#include "pilemesh/ledger/pricing.hpp"

namespace pilemesh::ledger::contracts {
namespace {

// Checks the slot against the pile and the time rules; fills the pile's record and info.
TxResult check_slot(const TxContext& c, const ServiceState& s, const std::string& pile_id,
                    std::int64_t start_ms, std::int64_t end_ms, PileRecord& pile, PileInfo& info) {
  auto p = s.pile(pile_id);
  auto i = s.pile_info(pile_id);
  if (!p || !i) return fail(TxCode::kNotFound, "no pile \"" + pile_id + "\"");
  pile = *p;
  info = *i;
  if (info.status != MemberStatus::kVerified) {
    return fail(TxCode::kConflict, "pile \"" + pile_id + "\" is " + status_name(info.status) +
                                       " and takes no bookings");
  }
  if (!info.has_tariff)
    return fail(TxCode::kConflict, "pile \"" + pile_id + "\" has no tariff yet");
  if (end_ms <= start_ms) return fail(TxCode::kInvalidPayload, "the slot must end after it starts");
  if (end_ms - start_ms > c.params.max_booking_ms) {
    return fail(
        TxCode::kInvalidPayload,
        "a slot is at most " + std::to_string(c.params.max_booking_ms / 60'000) + " minutes");
  }
  if (start_ms < c.time_ms - c.params.immediate_slack_ms)
    return fail(TxCode::kConflict, "the slot starts in the past");
  if (start_ms > c.time_ms + c.params.max_booking_ahead_ms) {
    return fail(TxCode::kInvalidPayload,
                "slots are booked at most " +
                    std::to_string(c.params.max_booking_ahead_ms / 86'400'000) + " days ahead");
  }
  if (!slot_available(info.spec, start_ms, end_ms, c.params.utc_offset_minutes))
    return fail(TxCode::kConflict, "the pile is not available for the whole slot");
  return ok();
}

TxResult load_own_booking(const TxContext& c, const ServiceState& s, const Hash& id,
                          BookingRecord& out) {
  auto b = s.booking(id);
  if (!b) return fail(TxCode::kNotFound, "no booking " + short_id(id));
  if (b->member != c.tx.signer)
    return fail(TxCode::kUnauthorized, "only the member who booked may change the booking");
  out = *b;
  return ok();
}

}  // namespace

TxResult book(const TxContext& c, ServiceState& s) {
  BookPayload p;
  TxResult error;
  if (!decode_payload(c, "book", p, error)) return error;
  MemberRecord member;
  if (TxResult r = require_active_member(s, c.tx.signer, "book", &member); !r.ok()) return r;
  if (member.credibility < c.params.min_credibility) {
    return fail(TxCode::kUnauthorized, "credibility " + std::to_string(member.credibility) +
                                           " is below " + std::to_string(c.params.min_credibility) +
                                           ": bookings are closed");
  }
  if (member.debt > 0) {
    return fail(TxCode::kUnauthorized,
                "an unpaid settlement of " + std::to_string(member.debt) + " is open");
  }
  if (p.token_hash.is_zero())
    return fail(TxCode::kInvalidPayload, "book: token_hash is the hash of the access token");
  PileRecord pile;
  PileInfo info;
  if (TxResult r = check_slot(c, s, p.pile_id, p.start_ms, p.end_ms, pile, info); !r.ok()) return r;
  if (pile.owner == c.tx.signer)
    return fail(TxCode::kUnauthorized, "owners block their own time in the availability");
  const auto deposit = booking_deposit(info.tariff, info.spec, p.start_ms, p.end_ms);
  if (!deposit) return fail(TxCode::kInvalidPayload, "book: the deposit would overflow");
  if (*deposit > p.max_deposit) {
    return fail(TxCode::kConflict, "the deposit is " + std::to_string(*deposit) +
                                       ", more than the " + std::to_string(p.max_deposit) +
                                       " accepted; the price changed");
  }
  if (TxResult r = take_slot(c, s, p.pile_id, p.start_ms, p.end_ms, c.hash, Hash{}); !r.ok())
    return r;
  if (TxResult r = debit(s, c.tx.signer, *deposit); !r.ok()) return r;
  BookingRecord b;
  b.pile_id = p.pile_id;
  b.member = c.tx.signer;
  b.start_ms = p.start_ms;
  b.end_ms = p.end_ms;
  b.tariff = info.tariff;
  b.tariff_version = info.tariff_version;
  b.escrow = *deposit;
  b.token_hash = p.token_hash;
  b.booked_ms = c.time_ms;
  s.put(c.hash, b);
  return ok();
}

TxResult modify_booking(const TxContext& c, ServiceState& s) {
  ModifyBookingPayload p;
  TxResult error;
  if (!decode_payload(c, "modify booking", p, error)) return error;
  BookingRecord b;
  if (TxResult r = load_own_booking(c, s, p.booking, b); !r.ok()) return r;
  if (b.status != BookingStatus::kBooked)
    return fail(TxCode::kConflict, "only a booking that has not started is modified");
  // Moving a slot is free only inside the free-cancellation window of the original slot.
  if (cancellation_fee(b.tariff, b.start_ms, c.time_ms) > 0) {
    return fail(TxCode::kConflict,
                "too close to the start to modify; cancel (the fee applies) and book again");
  }
  PileRecord pile;
  PileInfo info;
  if (TxResult r = check_slot(c, s, b.pile_id, p.start_ms, p.end_ms, pile, info); !r.ok()) return r;
  // The booking keeps the tariff it was made under.
  const auto deposit = booking_deposit(b.tariff, info.spec, p.start_ms, p.end_ms);
  if (!deposit) return fail(TxCode::kInvalidPayload, "modify booking: the deposit would overflow");
  if (*deposit > p.max_deposit) {
    return fail(TxCode::kConflict, "the deposit is " + std::to_string(*deposit) +
                                       ", more than the " + std::to_string(p.max_deposit) +
                                       " accepted");
  }
  if (TxResult r = take_slot(c, s, b.pile_id, p.start_ms, p.end_ms, p.booking, p.booking); !r.ok())
    return r;
  if (*deposit > b.escrow) {
    if (TxResult r = debit(s, c.tx.signer, *deposit - b.escrow); !r.ok()) return r;
  } else if (*deposit < b.escrow) {
    credit(s, c.tx.signer, b.escrow - *deposit);
  }
  b.escrow = *deposit;
  b.start_ms = p.start_ms;
  b.end_ms = p.end_ms;
  s.put(p.booking, b);
  return ok();
}

TxResult cancel_booking(const TxContext& c, ServiceState& s) {
  BookingIdPayload p;
  TxResult error;
  if (!decode_payload(c, "cancel booking", p, error)) return error;
  BookingRecord b;
  if (TxResult r = load_own_booking(c, s, p.booking, b); !r.ok()) return r;
  if (b.status != BookingStatus::kBooked)
    return fail(TxCode::kConflict, "only a booking that has not started is cancelled");
  const auto pile = s.pile(b.pile_id);
  if (!pile) return fail(TxCode::kNotFound, "no pile \"" + b.pile_id + "\"");
  const std::uint64_t fee = std::min(cancellation_fee(b.tariff, b.start_ms, c.time_ms), b.escrow);
  b.fees = fee;
  settle_escrow(s, b, pile->owner, fee);
  b.status = BookingStatus::kCancelled;
  s.put(p.booking, b);
  release_slot(s, b.pile_id, p.booking);
  return ok();
}

TxResult mark_no_show(const TxContext& c, ServiceState& s) {
  BookingIdPayload p;
  TxResult error;
  if (!decode_payload(c, "mark no-show", p, error)) return error;
  auto b = s.booking(p.booking);
  if (!b) return fail(TxCode::kNotFound, "no booking " + short_id(p.booking));
  const auto pile = s.pile(b->pile_id);
  if (!pile || pile->owner != c.tx.signer)
    return fail(TxCode::kUnauthorized, "only the pile's owner marks a no-show");
  if (b->status != BookingStatus::kBooked)
    return fail(TxCode::kConflict, "only a booking that never started is a no-show");
  if (c.time_ms < b->start_ms + c.params.no_show_grace_ms) {
    return fail(TxCode::kConflict, "the grace period runs until " +
                                       std::to_string(b->start_ms + c.params.no_show_grace_ms));
  }
  const std::uint64_t fee = std::min(b->tariff.no_show_fee, b->escrow);
  b->fees = fee;
  settle_escrow(s, *b, pile->owner, fee);
  b->status = BookingStatus::kNoShow;
  b->behaviour = -1;
  s.put(p.booking, *b);
  release_slot(s, b->pile_id, p.booking);
  // Formula (1): a no-show scores -1.
  if (auto m = s.member(b->member)) {
    m->credibility -= 1;
    s.put(b->member, *m);
  }
  return ok();
}

}  // namespace pilemesh::ledger::contracts

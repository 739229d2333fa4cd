#include "contract_common.hpp"

#include <algorithm>

#include "pilemesh/ledger/pricing.hpp"

namespace pilemesh::ledger::contracts {

std::string short_id(const Hash& h) {
  return h.is_zero() ? "none" : h.hex().substr(0, 16);
}

std::string role_name(Role role) {
  switch (role) {
    case Role::kEvUser:
      return "EV user";
    case Role::kPileOwner:
      return "pile owner";
    case Role::kAdmin:
      return "admin";
  }
  return "unknown role";
}

std::string status_name(MemberStatus status) {
  switch (status) {
    case MemberStatus::kPending:
      return "pending verification";
    case MemberStatus::kVerified:
      return "verified";
    case MemberStatus::kRejected:
      return "rejected";
    case MemberStatus::kSuspended:
      return "suspended";
    case MemberStatus::kRetired:
      return "retired";
    case MemberStatus::kMoved:
      return "moved to another key";
  }
  return "unknown";
}

TxResult require_active_member(const ServiceState& s, const PublicKey& key,
                               const std::string& action, MemberRecord* out) {
  const auto m = s.member(key);
  if (!m) return fail(TxCode::kUnauthorized, "not a member: register first to " + action);
  if (m->status != MemberStatus::kVerified) {
    std::string why = "the member is " + status_name(m->status);
    if (!m->reason.empty()) why += " (" + m->reason + ")";
    return fail(TxCode::kUnauthorized, why + " and may not " + action);
  }
  if (out != nullptr) *out = *m;
  return ok();
}

bool is_admin(const ServiceState& s, const PublicKey& key) {
  const auto m = s.member(key);
  return m && m->role == Role::kAdmin && m->status == MemberStatus::kVerified;
}

TxResult require_pile_owner(const ServiceState& s, const TxContext& c, const std::string& pile_id,
                            PileRecord* pile, PileInfo* info) {
  const auto p = s.pile(pile_id);
  const auto i = s.pile_info(pile_id);
  if (!p || !i) return fail(TxCode::kNotFound, "no pile \"" + pile_id + "\"");
  if (p->owner != c.tx.signer)
    return fail(TxCode::kUnauthorized, "only the owner of pile \"" + pile_id + "\" may do this");
  if (pile != nullptr) *pile = *p;
  if (info != nullptr) *info = *i;
  return ok();
}

namespace {

TxResult check_window(const WeeklyWindow& w, const std::string& where) {
  if (w.weekdays == 0 || w.weekdays > 0x7f)
    return fail(TxCode::kInvalidPayload, where + ".weekdays: bits 0 (Monday) to 6 (Sunday)");
  if (w.from_minute >= 1440 || w.to_minute <= w.from_minute || w.to_minute > 1440) {
    return fail(TxCode::kInvalidPayload,
                where + ": from_minute 0..1439 and to_minute after it, at most 1440");
  }
  return ok();
}

bool is_geohash_char(char ch) {
  // The geohash alphabet: digits and lower-case letters without a, i, l, o.
  return (ch >= '0' && ch <= '9') ||
         (ch >= 'b' && ch <= 'z' && ch != 'i' && ch != 'l' && ch != 'o');
}

}  // namespace

TxResult check_spec(const PileSpec& spec) {
  if (spec.geohash.size() < 5 ||
      !std::all_of(spec.geohash.begin(), spec.geohash.end(), is_geohash_char)) {
    return fail(TxCode::kInvalidPayload,
                "spec.geohash: 5 to 12 geohash characters (a coarse location, not the address)");
  }
  if (spec.connectors.empty())
    return fail(TxCode::kInvalidPayload, "spec.connectors: at least one connector");
  for (std::size_t i = 0; i < spec.connectors.size(); ++i) {
    const std::uint32_t w = spec.connectors[i].max_power_w;
    if (w < 1000 || w > 400'000) {
      return fail(TxCode::kInvalidPayload,
                  "spec.connectors[" + std::to_string(i) + "].max_power_w: 1000 to 400000 W");
    }
  }
  if (spec.phases != 1 && spec.phases != 3)
    return fail(TxCode::kInvalidPayload, "spec.phases: 1 or 3");
  if ((spec.amenities & ~kKnownAmenities) != 0)
    return fail(TxCode::kInvalidPayload, "spec.amenities: unknown bits");
  for (std::size_t i = 0; i < spec.availability.size(); ++i) {
    if (TxResult r =
            check_window(spec.availability[i], "spec.availability[" + std::to_string(i) + "]");
        !r.ok())
      return r;
  }
  for (std::size_t i = 0; i < spec.closures.size(); ++i) {
    if (spec.closures[i].to_ms <= spec.closures[i].from_ms) {
      return fail(TxCode::kInvalidPayload,
                  "spec.closures[" + std::to_string(i) + "]: to_ms must be after from_ms");
    }
  }
  return ok();
}

TxResult check_tariff(const Tariff& t) {
  const std::uint64_t prices[] = {t.price_per_kwh, t.price_per_minute, t.idle_per_minute,
                                  t.booking_fee,   t.cancel_fee,       t.no_show_fee};
  for (std::uint64_t p : prices)
    if (p > kMaxAmount / 1000) return fail(TxCode::kInvalidPayload, "tariff: a price is too high");
  if (t.free_cancel_before_ms < 0 || t.free_cancel_before_ms > 30LL * 24 * 3'600'000) {
    return fail(TxCode::kInvalidPayload, "tariff.free_cancel_before_ms: 0 to 30 days");
  }
  for (std::size_t i = 0; i < t.time_of_use.size(); ++i) {
    if (TxResult r =
            check_window(t.time_of_use[i].when, "tariff.time_of_use[" + std::to_string(i) + "]");
        !r.ok())
      return r;
    if (t.time_of_use[i].price_per_kwh > kMaxAmount / 1000)
      return fail(TxCode::kInvalidPayload, "tariff: a price is too high");
  }
  return ok();
}

TxResult debit(ServiceState& s, const PublicKey& key, std::uint64_t amount) {
  AccountRecord a = s.account(key);
  if (a.balance < amount) {
    return fail(TxCode::kInsufficientFunds, "the wallet holds " + std::to_string(a.balance) + ", " +
                                                std::to_string(amount) + " are needed");
  }
  a.balance -= amount;
  s.put(key, a);
  return ok();
}

void credit(ServiceState& s, const PublicKey& key, std::uint64_t amount) {
  AccountRecord a = s.account(key);
  // Every amount is below kMaxAmount and the supply is far below 2^64: this cannot wrap, but a
  // damaged state must not turn into free money.
  if (a.balance > UINT64_MAX - amount) throw std::runtime_error("wallet balance overflow");
  a.balance += amount;
  s.put(key, a);
}

std::uint64_t settle_escrow(ServiceState& s, BookingRecord& booking, const PublicKey& owner,
                            std::uint64_t charge) {
  const std::uint64_t from_escrow = std::min(charge, booking.escrow);
  std::uint64_t shortfall = charge - from_escrow;
  std::uint64_t from_wallet = 0;
  if (shortfall > 0) {
    from_wallet = std::min(shortfall, s.account(booking.member).balance);
    if (from_wallet > 0) (void)debit(s, booking.member, from_wallet);
    shortfall -= from_wallet;
  }
  const std::uint64_t refund = booking.escrow - from_escrow;
  if (refund > 0) credit(s, booking.member, refund);
  if (from_escrow + from_wallet > 0) credit(s, owner, from_escrow + from_wallet);
  booking.paid = from_escrow + from_wallet;
  booking.refunded = refund;
  booking.escrow = 0;
  return shortfall;
}

TxResult take_slot(const TxContext& c, ServiceState& s, const std::string& pile_id,
                   std::int64_t start_ms, std::int64_t end_ms, const Hash& id, const Hash& ignore) {
  PileSlots slots = s.pile_slots(pile_id);
  // A slot whose end is long past no longer blocks anything: it is dropped here so the list
  // stays short.
  const std::int64_t horizon = c.time_ms -
                               std::max(c.params.no_show_grace_ms, c.params.late_grace_ms) -
                               c.params.max_booking_ms;
  std::erase_if(slots.slots, [&](const LiveSlot& l) { return l.end_ms < horizon; });
  for (const LiveSlot& l : slots.slots) {
    if (l.booking == ignore) continue;
    if (start_ms < l.end_ms && l.start_ms < end_ms)
      return fail(TxCode::kConflict, "the slot is taken: another booking holds part of it");
  }
  std::erase_if(slots.slots, [&](const LiveSlot& l) { return l.booking == ignore; });
  if (slots.slots.size() >= kMaxLiveBookingsPerPile)
    return fail(TxCode::kConflict, "the pile has too many bookings ahead; try a later date");
  slots.slots.push_back({start_ms, end_ms, id});
  std::sort(slots.slots.begin(), slots.slots.end());
  s.put(pile_id, slots);
  return ok();
}

void release_slot(ServiceState& s, const std::string& pile_id, const Hash& id) {
  PileSlots slots = s.pile_slots(pile_id);
  std::erase_if(slots.slots, [&](const LiveSlot& l) { return l.booking == id; });
  s.put(pile_id, slots);
}

}  // namespace pilemesh::ledger::contracts

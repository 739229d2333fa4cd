// Auction pricing (the pricing contract of section 3.3 (1), Algorithm 2). A member posts a
// charge request — where they are, the area R (a geohash prefix), the energy, the window, a
// price ceiling locked in escrow and a bidding deadline. Piles in the area that are free for
// the window bid (guaranteed power V_b, price B) with a deposit, and may improve their bid
// until the deadline. Then the member closes the auction: the screening below picks the pile,
// the winning bid becomes a booking at price B, every deposit and the rest of the ceiling go
// back, and the decision commitment c = H(member, pile, r) is stored; revealing r later proves
// the decision was the committed one.
//
// Screening, in integers so every peer picks the same pile: each bid scores
//   4·price + 2·speed + 2·distance + 2·reputation, each part 0..1000:
//   price      = 1000·(ceiling − B) / ceiling
//   speed      = 1000·V_b / the highest V_b among the bids
//   distance   = 1000·(geohash characters the pile shares with the member) / len(member's)
//   reputation = 1000·clamp(R_cp, 0, 3) / 3
// The highest score wins; ties go to the lower price, then the smaller pile id. A winner whose
// slot was taken meanwhile is passed over for the next.
#include <algorithm>

#include "contracts_impl.hpp"
#include "pilemesh/ledger/pricing.hpp"

namespace pilemesh::ledger::contracts {
namespace {

std::size_t shared_prefix(std::string_view a, std::string_view b) {
  std::size_t n = 0;
  while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
  return n;
}

struct Scored {
  const AuctionBid* bid;
  std::int64_t score;
};

std::vector<Scored> screen(const ServiceState& s, const ChargeRequestRecord& r) {
  std::uint32_t top_power = 1;
  for (const AuctionBid& b : r.bids) top_power = std::max(top_power, b.power_w);
  std::vector<Scored> out;
  for (const AuctionBid& b : r.bids) {
    const auto info = s.pile_info(b.pile_id);
    const std::int64_t price =
        r.price_ceiling == 0
            ? 0
            : static_cast<std::int64_t>((r.price_ceiling - b.price) * 1000 / r.price_ceiling);
    const std::int64_t speed = std::int64_t{b.power_w} * 1000 / top_power;
    const std::int64_t distance =
        info ? static_cast<std::int64_t>(shared_prefix(info->spec.geohash, r.geohash) * 1000 /
                                         std::max<std::size_t>(1, r.geohash.size()))
             : 0;
    const std::int64_t reputation =
        info ? std::clamp<std::int64_t>(info->score, 0, 3'000'000) * 1000 / 3'000'000 : 0;
    out.push_back({&b, 4 * price + 2 * speed + 2 * distance + 2 * reputation});
  }
  std::sort(out.begin(), out.end(), [](const Scored& a, const Scored& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.bid->price != b.bid->price) return a.bid->price < b.bid->price;
    return a.bid->pile_id < b.bid->pile_id;
  });
  return out;
}

void return_deposits(ServiceState& s, ChargeRequestRecord& r) {
  for (AuctionBid& b : r.bids) {
    if (b.deposit > 0) credit(s, b.owner, b.deposit);
    b.deposit = 0;
  }
}

}  // namespace

TxResult post_charge_request(const TxContext& c, ServiceState& s) {
  PostChargeRequestPayload p;
  TxResult error;
  if (!decode_payload(c, "charge request", p, error)) return error;
  MemberRecord member;
  if (TxResult r = require_active_member(s, c.tx.signer, "ask for charging", &member); !r.ok())
    return r;
  if (member.credibility < c.params.min_credibility || member.debt > 0)
    return fail(TxCode::kUnauthorized, "bookings are closed for this member (credibility or debt)");
  if (p.geohash.size() < 5 || p.area_chars < 1 || p.area_chars > p.geohash.size())
    return fail(TxCode::kInvalidPayload,
                "charge request: a geohash of 5+ characters and an area of 1 to its length");
  if (p.energy_wh == 0 || p.end_ms <= p.start_ms || p.end_ms - p.start_ms > c.params.max_booking_ms)
    return fail(TxCode::kInvalidPayload,
                "charge request: energy and a window of at most the longest slot");
  if (p.start_ms < c.time_ms - c.params.immediate_slack_ms || p.deadline_ms <= c.time_ms ||
      p.deadline_ms > p.start_ms)
    return fail(TxCode::kInvalidPayload,
                "charge request: the deadline must be ahead, before the window");
  if (p.price_ceiling == 0 || p.price_ceiling > kMaxAmount)
    return fail(TxCode::kInvalidPayload, "charge request: a price ceiling above zero");
  if (p.token_hash.is_zero())
    return fail(TxCode::kInvalidPayload, "charge request: token_hash is empty");
  if (TxResult r = debit(s, c.tx.signer, p.price_ceiling); !r.ok()) return r;
  ChargeRequestRecord r;
  r.member = c.tx.signer;
  r.geohash = p.geohash;
  r.area_chars = p.area_chars;
  r.energy_wh = p.energy_wh;
  r.start_ms = p.start_ms;
  r.end_ms = p.end_ms;
  r.price_ceiling = p.price_ceiling;
  r.deadline_ms = p.deadline_ms;
  r.token_hash = p.token_hash;
  s.put(c.hash, r);
  return ok();
}

TxResult bid(const TxContext& c, ServiceState& s) {
  BidPayload p;
  TxResult error;
  if (!decode_payload(c, "bid", p, error)) return error;
  auto r = s.charge_request(p.request);
  if (!r) return fail(TxCode::kNotFound, "no charge request " + short_id(p.request));
  if (r->status != AuctionStatus::kOpen || c.time_ms >= r->deadline_ms)
    return fail(TxCode::kConflict, "the auction is closed for bids");
  PileRecord pile;
  PileInfo info;
  if (TxResult res = require_pile_owner(s, c, p.pile_id, &pile, &info); !res.ok()) return res;
  if (info.status != MemberStatus::kVerified)
    return fail(TxCode::kConflict, "only a verified pile bids");
  if (info.spec.geohash.compare(0, r->area_chars, r->geohash, 0, r->area_chars) != 0)
    return fail(TxCode::kConflict, "pile \"" + p.pile_id + "\" is outside the request's area");
  if (p.power_w == 0 || p.power_w > max_power_w(info.spec))
    return fail(TxCode::kInvalidPayload, "bid: the guaranteed power must be within the pile's");
  if (p.price == 0 || p.price > r->price_ceiling)
    return fail(TxCode::kConflict, "bid: the price must be above zero and within the ceiling");
  if (!slot_available(info.spec, r->start_ms, r->end_ms, c.params.utc_offset_minutes) ||
      std::any_of(
          s.pile_slots(p.pile_id).slots.begin(), s.pile_slots(p.pile_id).slots.end(),
          [&](const LiveSlot& l) { return r->start_ms < l.end_ms && l.start_ms < r->end_ms; }))
    return fail(TxCode::kConflict, "pile \"" + p.pile_id + "\" is not free for the window");
  auto it = std::find_if(r->bids.begin(), r->bids.end(),
                         [&](const AuctionBid& b) { return b.pile_id == p.pile_id; });
  if (it != r->bids.end()) {
    // Improving only: a lower price, or more power at no higher price.
    if (!(p.price < it->price || (p.price == it->price && p.power_w > it->power_w)))
      return fail(TxCode::kConflict, "a new bid must improve on this pile's last one");
    credit(s, c.tx.signer, it->deposit);
    r->bids.erase(it);
  } else if (r->bids.size() >= kMaxBidsPerRequest) {
    return fail(TxCode::kConflict, "the auction has its most bids");
  }
  if (TxResult res = debit(s, c.tx.signer, p.deposit); !res.ok()) return res;
  r->bids.push_back({p.pile_id, c.tx.signer, p.power_w, p.price, p.deposit});
  s.put(p.request, *r);
  return ok();
}

TxResult close_auction(const TxContext& c, ServiceState& s) {
  CloseAuctionPayload p;
  TxResult error;
  if (!decode_payload(c, "close auction", p, error)) return error;
  auto r = s.charge_request(p.request);
  if (!r) return fail(TxCode::kNotFound, "no charge request " + short_id(p.request));
  if (r->member != c.tx.signer)
    return fail(TxCode::kUnauthorized, "only the member who asked closes the auction");
  if (r->status != AuctionStatus::kOpen)
    return fail(TxCode::kConflict, "the auction is closed already");
  if (c.time_ms < r->deadline_ms)
    return fail(TxCode::kConflict, "bids are open until the deadline");
  const std::vector<Scored> ranked = screen(s, *r);
  r->commitment = p.commitment;
  for (const Scored& candidate : ranked) {
    const AuctionBid& b = *candidate.bid;
    // The winning bid becomes a booking at price B for the whole charge.
    if (!take_slot(c, s, b.pile_id, r->start_ms, r->end_ms, c.hash, Hash{}).ok()) continue;
    BookingRecord booking;
    booking.pile_id = b.pile_id;
    booking.member = r->member;
    booking.start_ms = r->start_ms;
    booking.end_ms = r->end_ms;
    booking.tariff.booking_fee = b.price;
    booking.escrow = b.price;
    booking.token_hash = r->token_hash;
    booking.booked_ms = c.time_ms;
    s.put(c.hash, booking);
    credit(s, r->member, r->price_ceiling - b.price);
    r->winner = b.pile_id;
    r->booking = c.hash;
    r->status = AuctionStatus::kAwarded;
    return_deposits(s, *r);
    s.put(p.request, *r);
    return ok();
  }
  // No bid, or none whose pile is still free: everything goes back.
  credit(s, r->member, r->price_ceiling);
  r->status = AuctionStatus::kUnfilled;
  return_deposits(s, *r);
  s.put(p.request, *r);
  return ok();
}

TxResult reveal_decision(const TxContext& c, ServiceState& s) {
  RevealDecisionPayload p;
  TxResult error;
  if (!decode_payload(c, "reveal decision", p, error)) return error;
  auto r = s.charge_request(p.request);
  if (!r) return fail(TxCode::kNotFound, "no charge request " + short_id(p.request));
  if (r->status != AuctionStatus::kAwarded)
    return fail(TxCode::kConflict, "the auction has no decision");
  if (r->revealed) return fail(TxCode::kConflict, "the decision is open already");
  if (decision_commitment(r->member, r->winner, p.r) != r->commitment)
    return fail(TxCode::kForgedPointer, "the commitment does not match this decision: tampered");
  r->revealed = true;
  s.put(p.request, *r);
  return ok();
}

}  // namespace pilemesh::ledger::contracts

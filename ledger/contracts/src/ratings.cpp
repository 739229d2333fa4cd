// Ratings and reputation (ITU clause 10.7; section 3.4): only the member who charged rates,
// once per settled session, W in {1, 2, 3}, with an optional review whose text stays
// off-chain (its hash here); the rating is the evaluation record of the block structure, with
// its back-pointers, and moves the pile's service score R_cp by formula (2), weighted by the
// rater's credibility (reputation.hpp). The pile's owner may answer, once.
#include "contracts_impl.hpp"
#include "pilemesh/ledger/reputation.hpp"

namespace pilemesh::ledger::contracts {

TxResult rate_session(const TxContext& c, ServiceState& s) {
  RateSessionPayload p;
  TxResult error;
  if (!decode_payload(c, "rate session", p, error)) return error;
  if (p.score < 1 || p.score > 3)
    return fail(TxCode::kInvalidPayload, "rate session: score must be 1, 2 or 3");
  auto b = s.booking(p.booking);
  if (!b) return fail(TxCode::kNotFound, "no booking " + short_id(p.booking));
  if (b->member != c.tx.signer)
    return fail(TxCode::kUnauthorized, "only the member who charged rates the session");
  if (b->status != BookingStatus::kCompleted)
    return fail(TxCode::kConflict, "only a settled session is rated");
  if (!b->rating_tx.is_zero()) return fail(TxCode::kConflict, "this session was rated already");
  auto pile = s.pile(b->pile_id);
  auto info = s.pile_info(b->pile_id);
  if (!pile || !info) return fail(TxCode::kNotFound, "no pile \"" + b->pile_id + "\"");
  AccountRecord ev = s.account(c.tx.signer);
  if (p.prev_pile_evaluation != pile->last_evaluation) {
    return fail(TxCode::kForgedPointer,
                "prev_pile_evaluation is " + short_id(p.prev_pile_evaluation) +
                    ", the pile's last evaluation is " + short_id(pile->last_evaluation));
  }
  if (p.prev_ev_evaluation != ev.last_evaluation) {
    return fail(TxCode::kForgedPointer, "prev_ev_evaluation is " + short_id(p.prev_ev_evaluation) +
                                            ", the member's last evaluation is " +
                                            short_id(ev.last_evaluation));
  }
  const auto member = s.member(c.tx.signer);
  ReputationParams params;
  params.mu = c.params.reputation_mu;
  params.sigma = c.params.reputation_sigma;
  info->score = update_pile_score(info->score, p.score, member ? member->credibility : 0, params);
  ++info->ratings;
  s.put(b->pile_id, *info);

  b->rating_tx = c.hash;
  s.put(p.booking, *b);
  if (auto charge = s.charge(b->charging_tx)) {
    charge->rated = true;
    s.put_charge(b->charging_tx, *charge);
  }
  pile->last_evaluation = c.hash;
  ++pile->evaluation_count;
  s.put(b->pile_id, *pile);
  ev.last_evaluation = c.hash;
  s.put(c.tx.signer, ev);
  RatingRecord r;
  r.booking = p.booking;
  r.pile_id = b->pile_id;
  r.member = c.tx.signer;
  r.score = p.score;
  r.review_hash = p.review_hash;
  r.rated_ms = c.time_ms;
  s.put(c.hash, r);
  return ok();
}

TxResult respond_rating(const TxContext& c, ServiceState& s) {
  RespondRatingPayload p;
  TxResult error;
  if (!decode_payload(c, "respond to rating", p, error)) return error;
  auto r = s.rating(p.rating);
  if (!r) return fail(TxCode::kNotFound, "no rating " + short_id(p.rating));
  auto pile = s.pile(r->pile_id);
  if (!pile || pile->owner != c.tx.signer)
    return fail(TxCode::kUnauthorized, "only the pile's owner answers its ratings");
  if (!r->response_hash.is_zero()) return fail(TxCode::kConflict, "the rating is answered already");
  if (p.response_hash.is_zero())
    return fail(TxCode::kInvalidPayload, "respond to rating: response_hash is empty");
  r->response_hash = p.response_hash;
  s.put(p.rating, *r);
  return ok();
}

}  // namespace pilemesh::ledger::contracts

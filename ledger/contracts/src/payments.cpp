// Payments (ITU clause 10.5): wallets of integer minor units. Money enters by a top-up that the
// person who received it — a pile owner or an admin — confirms (a manual payment, or a SEPA
// credit transfer requested with an EPC QR code), and leaves by a withdrawal paid out off-chain
// by its payee. Both move the recorded supply, so that at every height the sum of all wallets
// and escrows equals it (the conservation property test).
#include "contracts_impl.hpp"

namespace pilemesh::ledger::contracts {
namespace {

TxResult require_payee(const ServiceState& s, const PublicKey& payee) {
  const auto m = s.member(payee);
  if (!m || m->status != MemberStatus::kVerified || m->role == Role::kEvUser) {
    return fail(TxCode::kInvalidPayload,
                "the payee must be a verified pile owner or admin of this neighbourhood");
  }
  return ok();
}

}  // namespace

TxResult request_top_up(const TxContext& c, ServiceState& s) {
  RequestTopUpPayload p;
  TxResult error;
  if (!decode_payload(c, "request top-up", p, error)) return error;
  if (!s.member(c.tx.signer)) return fail(TxCode::kUnauthorized, "not a member: register first");
  if (p.amount == 0 || p.amount > kMaxAmount)
    return fail(TxCode::kInvalidPayload, "request top-up: amount must be 1 to 10^11 minor units");
  if (p.payee == c.tx.signer)
    return fail(TxCode::kInvalidPayload, "nobody tops up from themselves");
  // 1 and 2 are the built-in methods, 16..255 plugins'; 3..15 are kept for built-in ones to
  // come, so no request made now can change its meaning then.
  if (const auto m = static_cast<std::uint8_t>(p.method); m > 2 && m < 16)
    return fail(TxCode::kInvalidPayload, "request top-up: method " + std::to_string(m) +
                                             " is reserved; use 1, 2 or 16..255");
  if (TxResult r = require_payee(s, p.payee); !r.ok()) return r;
  TopUpRecord t;
  t.member = c.tx.signer;
  t.payee = p.payee;
  t.amount = p.amount;
  t.method = p.method;
  t.reference = p.reference;
  t.requested_ms = c.time_ms;
  s.put(c.hash, t);
  return ok();
}

TxResult confirm_top_up(const TxContext& c, ServiceState& s) {
  ConfirmTopUpPayload p;
  TxResult error;
  if (!decode_payload(c, "confirm top-up", p, error)) return error;
  auto t = s.topup(p.request);
  if (!t) return fail(TxCode::kNotFound, "no top-up request " + short_id(p.request));
  if (t->payee != c.tx.signer)
    return fail(TxCode::kUnauthorized, "only the payee confirms a top-up it received");
  if (t->status != TopUpStatus::kRequested)
    return fail(TxCode::kConflict, "this top-up is confirmed already");
  Supply supply = s.supply();
  if (supply.total > UINT64_MAX - t->amount)
    return fail(TxCode::kInvalidPayload, "supply overflow");
  supply.total += t->amount;
  s.put(supply);
  credit(s, t->member, t->amount);
  t->status = TopUpStatus::kConfirmed;
  t->confirmed_ms = c.time_ms;
  s.put(p.request, *t);
  return ok();
}

TxResult settle_debt(const TxContext& c, ServiceState& s) {
  BookingIdPayload p;
  TxResult error;
  if (!decode_payload(c, "settle debt", p, error)) return error;
  auto b = s.booking(p.booking);
  if (!b) return fail(TxCode::kNotFound, "no booking " + short_id(p.booking));
  if (b->member != c.tx.signer)
    return fail(TxCode::kUnauthorized, "only the member who charged settles its debt");
  if (b->unpaid == 0) return fail(TxCode::kConflict, "nothing of this booking is unpaid");
  const auto pile = s.pile(b->pile_id);
  if (!pile) return fail(TxCode::kNotFound, "no pile \"" + b->pile_id + "\"");
  // As much as the wallet holds, to the owner who was not paid.
  const std::uint64_t pay = std::min(b->unpaid, s.account(c.tx.signer).balance);
  if (pay == 0) return fail(TxCode::kInsufficientFunds, "the wallet is empty; top up first");
  (void)debit(s, c.tx.signer, pay);
  credit(s, pile->owner, pay);
  b->unpaid -= pay;
  b->paid += pay;
  s.put(p.booking, *b);
  if (auto m = s.member(c.tx.signer)) {
    m->debt -= std::min(m->debt, pay);
    s.put(c.tx.signer, *m);
  }
  return ok();
}

TxResult withdraw(const TxContext& c, ServiceState& s) {
  WithdrawPayload p;
  TxResult error;
  if (!decode_payload(c, "withdraw", p, error)) return error;
  if (p.amount == 0) return fail(TxCode::kInvalidPayload, "withdraw: amount must be positive");
  if (p.payee == c.tx.signer)
    return fail(TxCode::kInvalidPayload, "withdraw: the payee is another member");
  if (TxResult r = require_payee(s, p.payee); !r.ok()) return r;
  if (TxResult r = debit(s, c.tx.signer, p.amount); !r.ok()) return r;
  Supply supply = s.supply();
  supply.total -= std::min(supply.total, p.amount);
  s.put(supply);
  return ok();
}

}  // namespace pilemesh::ledger::contracts

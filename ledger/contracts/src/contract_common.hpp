// What the contracts share: decoding a payload with a reason, the checks of who may act, and
// moving money between wallets and escrow without ever creating or losing any.
#pragma once

#include <string>

#include "pilemesh/ledger/contracts.hpp"
#include "pilemesh/ledger/service_codec.hpp"
#include "pilemesh/ledger/service_state.hpp"

namespace pilemesh::ledger::contracts {

inline TxResult fail(TxCode code, std::string log) {
  return {code, std::move(log)};
}
inline TxResult ok() {
  return {};
}

// Decodes the transaction's payload as a T, or fails naming the type and the field.
template <class T>
bool decode_payload(const TxContext& c, const char* what, T& out, TxResult& error) {
  std::string reason;
  auto p = decode_service<T>(c.tx.payload, reason);
  if (!p) {
    error = fail(TxCode::kInvalidPayload, std::string(what) + ": " + reason);
    return false;
  }
  out = std::move(*p);
  return true;
}

std::string short_id(const Hash& h);
std::string role_name(Role role);
std::string status_name(MemberStatus status);

// The signer as a verified member in good standing (not suspended, moved or in debt), or the
// reason it is not. `action` completes "may not <action>".
TxResult require_active_member(const ServiceState& s, const PublicKey& key,
                               const std::string& action, MemberRecord* out = nullptr);
bool is_admin(const ServiceState& s, const PublicKey& key);

// A pile that exists and is owned by the signer.
TxResult require_pile_owner(const ServiceState& s, const TxContext& c, const std::string& pile_id,
                            PileRecord* pile = nullptr, PileInfo* info = nullptr);

// Checks a pile specification; the reason names the field.
TxResult check_spec(const PileSpec& spec);
TxResult check_tariff(const Tariff& tariff);

// Money. Wallet and escrow amounts move only through these, so that the sum of all wallets and
// escrows changes only by top-ups and withdrawals (the conservation property test).
// Takes `amount` from a wallet; fails (changing nothing) when the balance is short.
TxResult debit(ServiceState& s, const PublicKey& key, std::uint64_t amount);
void credit(ServiceState& s, const PublicKey& key, std::uint64_t amount);

// Settles a booking's escrow: `charge` goes to the pile's owner — from the escrow first, then
// from the member's wallet; what the wallet cannot cover becomes the member's debt — and the
// rest of the escrow returns to the member. Records paid and refunded on the booking; returns
// the shortfall (0 when fully paid).
std::uint64_t settle_escrow(ServiceState& s, BookingRecord& booking, const PublicKey& owner,
                            std::uint64_t charge);

// Holds [start, end) of the pile for booking `id` (replacing the slot of `ignore`, for a
// modification); fails when it overlaps another live slot. Slots long past are dropped here.
TxResult take_slot(const TxContext& c, ServiceState& s, const std::string& pile_id,
                   std::int64_t start_ms, std::int64_t end_ms, const Hash& id, const Hash& ignore);

// The pile's live slots without the booking `id`, and without slots long past.
void release_slot(ServiceState& s, const std::string& pile_id, const Hash& id);

}  // namespace pilemesh::ledger::contracts

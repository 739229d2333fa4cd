// The payloads of the sharing service's transaction types (transaction.hpp), one struct per
// type. Who may sign each one and what it checks is in the contract that executes it
// (contracts.hpp, docs/service.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pilemesh/ledger/service_records.hpp"

namespace pilemesh::ledger {

// kRegisterMember: the signer joins. Role admin only comes from the genesis.
struct RegisterMemberPayload {
  Role role = Role::kEvUser;
  Hash profile_hash;
};

enum class SubjectKind : std::uint8_t { kMember = 1, kPile = 2 };

// kAttest and kReject name a member (by key) or a pile (by id).
struct SubjectPayload {
  SubjectKind kind = SubjectKind::kMember;
  PublicKey member;
  std::string pile_id;
  std::string reason;  // kReject only
};

// kSuspend: an admin suspends (suspend = true) or reinstates a member.
struct SuspendPayload {
  PublicKey member;
  bool suspend = true;
  std::string reason;
};

struct UpdateProfilePayload {
  Hash profile_hash;
};

// kRegisterPile (version 2) and kUpdatePile.
struct PileSpecPayload {
  std::string pile_id;
  PileSpec spec;
};

struct PileIdPayload {  // kRetirePile
  std::string pile_id;
};

struct SetRecoveryPayload {
  std::vector<PublicKey> guardians;
  std::uint8_t threshold = 0;
  std::vector<Hash> code_hashes;
};

// A guardian's approval: its signature over recovery_message(chain, old, new).
struct GuardianApproval {
  PublicKey guardian;
  Signature signature;
};

// kRecoverAccount, signed by the new key: moves the member, wallet and history pointers of
// `old_key` to the signer. Proven by one unused recovery code, or by enough guardians.
struct RecoverAccountPayload {
  PublicKey old_key;
  std::string recovery_code;  // empty when guardians approve
  std::vector<GuardianApproval> approvals;
};

struct SetTariffPayload {
  std::string pile_id;
  Tariff tariff;
};

// kBook: the signer books a slot of a pile and locks the deposit (pricing.hpp) in escrow.
struct BookPayload {
  std::string pile_id;
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  Hash token_hash;
  std::uint64_t max_deposit = 0;  // refuse if the deposit would be higher (the price changed)
};

struct ModifyBookingPayload {
  Hash booking;
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  std::uint64_t max_deposit = 0;
};

struct BookingIdPayload {  // kCancelBooking, kMarkNoShow
  Hash booking;
};

// kStartSession, signed by the pile's owner (its gateway) once the member showed the token.
struct StartSessionPayload {
  Hash booking;
  std::string token;  // its sha256 must be the booking's token_hash
  std::uint64_t meter_start_wh = 0;
};

// kStopSession: the charging record of the shared-charging structure, with its back-pointers,
// and the settlement.
struct StopSessionPayload {
  Hash booking;
  std::uint64_t meter_stop_wh = 0;
  Hash meter_chain_hash;
  std::uint32_t meter_values = 0;
  StopReason reason = StopReason::kByUser;
  Hash prev_pile_charging;
  Hash prev_ev_charging;
};

// kRateSession, signed by the member who charged: the evaluation record, with back-pointers.
struct RateSessionPayload {
  Hash booking;
  std::uint8_t score = 0;  // W in 1..3
  Hash review_hash;        // zero: no written review
  Hash prev_pile_evaluation;
  Hash prev_ev_evaluation;
};

struct RespondRatingPayload {
  Hash rating;  // the kRateSession transaction
  Hash response_hash;
};

struct RequestTopUpPayload {
  std::uint64_t amount = 0;
  TopUpMethod method = TopUpMethod::kManual;
  PublicKey payee;
  std::string reference;
};

struct ConfirmTopUpPayload {
  Hash request;  // the kRequestTopUp transaction
};

struct WithdrawPayload {
  std::uint64_t amount = 0;
  PublicKey payee;  // who pays it out off-chain
};

struct PostChargeRequestPayload {
  std::string geohash;
  std::uint8_t area_chars = 5;
  std::uint64_t energy_wh = 0;
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  std::uint64_t price_ceiling = 0;
  std::int64_t deadline_ms = 0;
  Hash token_hash;
};

struct BidPayload {
  Hash request;
  std::string pile_id;
  std::uint32_t power_w = 0;
  std::uint64_t price = 0;
  std::uint64_t deposit = 0;
};

// kCloseAuction: after the deadline, by the member; `commitment` is H(member, pile, r) for the
// pile the public screening picks (decision_commitment below), r a secret of the member's.
struct CloseAuctionPayload {
  Hash request;
  Hash commitment;
};

struct RevealDecisionPayload {
  Hash request;
  Hash r;
};

// c = sha256("pilemesh/decision/v1" || member || pile id || r).
Hash decision_commitment(const PublicKey& member, std::string_view pile_id, const Hash& r);

// What a guardian signs to approve moving `old_key` to `new_key` on `chain_id`.
Bytes recovery_message(std::string_view chain_id, const PublicKey& old_key,
                       const PublicKey& new_key);

}  // namespace pilemesh::ledger

// A signed ledger transaction: the envelope every contract's payload travels in.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pilemesh/ledger/hash.hpp"
#include "pilemesh/ledger/keys.hpp"

namespace pilemesh::ledger {

using Bytes = std::vector<std::uint8_t>;
using Height = std::uint64_t;

// Size limits enforced by the decoder and by check_tx.
inline constexpr std::size_t kMaxChainIdBytes = 64;
inline constexpr std::size_t kMaxPayloadBytes = 16 * 1024;
inline constexpr std::size_t kMaxTxBytes = kMaxPayloadBytes + 256;

// Transaction types. Numbers are part of the encoding: never reuse or renumber one. The
// number's range gives the branch of the block structure (genesis.hpp, branch_of).
enum class TxType : std::uint16_t {
  kTransfer = 1,  // value transfer between wallets (market branch)

  // Identity branch (10-19): members and piles, docs/service.md.
  kRegisterPile = 10,    // a pile with its owner and specification
  kRegisterMember = 11,  // an account joins with a role; profile data stays off-chain
  kAttest = 12,          // a verified member (or an admin) vouches for a member or a pile
  kReject = 13,          // an admin refuses a member's or a pile's registration, with a reason
  kSuspend = 14,         // an admin suspends (or reinstates) a member
  kUpdateProfile = 15,   // a member's new profile hash
  kUpdatePile = 16,      // the owner changes a pile's specification
  kRetirePile = 17,      // the owner takes a pile out of service
  kSetRecovery = 18,     // a member's guardians and recovery-code hashes
  kRecoverAccount = 19,  // moves a member to a new key, by recovery code or guardians

  // Charging branch (20-29).
  kChargingRecord = 20,  // a bare charging record with its back-pointers (tests, tools)
  kStartSession = 21,    // the pile's gateway starts an authorized session of a booking
  kStopSession = 22,     // the pile's gateway stops it: the charging record, and settlement

  // Evaluation branch (30-39).
  kEvaluation = 30,     // a bare rating of a charging record (tests, tools)
  kRateSession = 31,    // the member who charged rates the pile, once per session
  kRespondRating = 32,  // the pile's owner answers a rating

  // Market branch (40-): tariffs, bookings, payments.
  kSetTariff = 40,
  kBook = 41,
  kModifyBooking = 42,
  kCancelBooking = 43,
  kMarkNoShow = 44,
  kRequestTopUp = 45,
  kConfirmTopUp = 46,
  kWithdraw = 47,
  // Auction pricing (the pricing contract of section 3.3, Algorithm 2).
  kPostChargeRequest = 48,  // a member asks for energy in an area and window, up to a price
  kBid = 49,                // a pile's owner offers (guaranteed power, price) with a deposit
  kCloseAuction = 50,       // the member closes it: screening picks the pile, a booking follows
  kRevealDecision = 51,     // opens the decision commitment H(member, pile, r)
  kSettleDebt = 52,         // a member pays what a settlement could not take from the wallet
};

struct Transaction {
  static constexpr std::uint8_t kVersion = 1;
  std::string chain_id;  // the network; a transaction is valid on one chain only
  TxType type = TxType::kTransfer;
  PublicKey signer;         // the account
  std::uint64_t nonce = 0;  // the account's previous nonce + 1; the first is 1
  Bytes payload;            // the type's own canonical encoding
  Signature signature;      // Ed25519 by `signer` over signing_bytes()
};

}  // namespace pilemesh::ledger

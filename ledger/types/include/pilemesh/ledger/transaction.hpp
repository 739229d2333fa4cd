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

// Transaction types. Numbers are part of the encoding: never reuse or renumber one.
// Contracts of later parts (users, piles, tariffs, bookings, payments, sessions, ratings)
// add theirs here.
enum class TxType : std::uint16_t {
  kTransfer = 1,         // toy value transfer between accounts, used by tests and benchmarks
  kRegisterPile = 10,    // a pile with its owner (identity branch)
  kChargingRecord = 20,  // a charging transaction of a pile (charging branch)
  kEvaluation = 30,      // a rating of a charging transaction (evaluation branch)
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

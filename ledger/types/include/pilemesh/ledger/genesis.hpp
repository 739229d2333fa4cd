// The starting point of a chain: its id, time, validators, initial accounts and members, and
// the rules of its sharing service. Every peer of a neighbourhood starts from the same genesis
// and so from the same state root.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pilemesh/ledger/block.hpp"
#include "pilemesh/ledger/hash.hpp"
#include "pilemesh/ledger/keys.hpp"

namespace pilemesh::ledger {

struct GenesisAccount {
  PublicKey key;
  std::uint64_t balance = 0;  // minor currency units
};

// Member roles. Numbers are part of the encoding.
enum class Role : std::uint8_t { kEvUser = 1, kPileOwner = 2, kAdmin = 3 };

// Members the chain starts with, verified from the first block: at least the admins who
// verify the others.
struct GenesisMember {
  PublicKey key;
  Role role = Role::kEvUser;
};

// The rules of one neighbourhood's sharing service, fixed at genesis (a later governance
// contract may change them). Times in milliseconds, money in minor units, scores as integers
// or fixed point with six decimals (reputation.hpp).
struct ServiceParams {
  std::uint32_t attestations_to_verify = 2;      // k: verified members who vouch for a newcomer
  std::int64_t min_credibility = -3;             // below this R_v a member cannot book
  std::int64_t no_show_grace_ms = 15 * 60'000;   // after the slot's start, then a no-show
  std::int64_t late_grace_ms = 10 * 60'000;      // after the slot's end, then "late"
  std::int64_t start_early_ms = 10 * 60'000;     // a session may start this early
  std::int64_t immediate_slack_ms = 5 * 60'000;  // a slot may start this far in the past
  std::int64_t max_booking_ms = 12 * 3'600'000;
  std::int64_t max_booking_ahead_ms = 30LL * 24 * 3'600'000;
  std::int32_t utc_offset_minutes = 0;        // the neighbourhood's local time, for weekly windows
  std::int64_t reputation_mu = 2'000'000;     // μ of formula 2, fixed point
  std::int64_t reputation_sigma = 3'000'000;  // σ of formula 2, fixed point
  std::string currency = "EUR";               // ISO 4217; amounts are its minor units
  auto operator<=>(const ServiceParams&) const = default;
};

struct Genesis {
  std::string chain_id;
  std::int64_t time_ms = 0;
  std::vector<PublicKey> validators;     // sorted, no duplicates
  std::vector<GenesisAccount> accounts;  // sorted by key, no duplicates
  std::vector<GenesisMember> members;    // sorted by key, no duplicates
  ServiceParams params;
};

// Hash of a validator set: sha256 over the sorted keys, each 32 bytes.
Hash validators_hash(const std::vector<PublicKey>& validators);

// Which branch of the block structure a transaction type's records belong to.
Branch branch_of(std::uint16_t tx_type);

}  // namespace pilemesh::ledger

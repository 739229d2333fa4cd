// The sharing service's contracts (docs/service.md): members and roles, piles, tariffs,
// bookings, escrow payments, charging sessions with settlement, ratings and reputation. Each
// is a set of transaction types (transaction.hpp) executed here, deterministically: state and
// block in, state and result out — block time only, integers only, no I/O.
#pragma once

#include <string>

#include "pilemesh/ledger/genesis.hpp"
#include "pilemesh/ledger/kv_state.hpp"
#include "pilemesh/ledger/result.hpp"
#include "pilemesh/ledger/transaction.hpp"

namespace pilemesh::ledger {

// What a contract may know besides the state.
struct TxContext {
  const Transaction& tx;
  const Hash& hash;          // of the transaction: the id of what it creates
  std::int64_t time_ms = 0;  // the block's time (in check_tx: the last block's)
  const std::string& chain_id;
  const ServiceParams& params;
};

// True for the types this file executes.
bool is_service_type(TxType type);

// Executes one transaction of a service type against `state`. On failure the result names
// the reason and the caller drops the writes.
TxResult execute_service(const TxContext& context, KvState& state);

// Writes the genesis's members, the service parameters and the money supply of the genesis
// accounts into the state of height 0.
void init_service(const Genesis& genesis, KvState& state);

// The parameters written by init_service; the defaults for a chain made before they existed.
ServiceParams read_service_params(const KvState& state);

}  // namespace pilemesh::ledger

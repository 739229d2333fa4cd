// The outcome of checking or executing one transaction.
#pragma once

#include <cstdint>
#include <string>

namespace pilemesh::ledger {

// Stable codes: clients and the JSON API switch on them. 0 is success.
enum class TxCode : std::uint32_t {
  kOk = 0,
  kMalformed = 1,   // cannot be decoded, or a field is out of bounds
  kWrongChain = 2,  // chain id of another network
  kBadSignature = 3,
  kBadNonce = 4,  // replayed, or not the account's next nonce
  kUnknownType = 5,
  kInvalidPayload = 6,  // the type's payload does not decode or is out of range
  kForgedPointer = 7,   // a back-pointer does not match the state
  kUnauthorized = 8,    // the signer may not do this
  kNotFound = 9,        // refers to something that does not exist
  kInsufficientFunds = 10,
  kDuplicate = 11,  // already in the mempool or the chain
  kMempoolFull = 12,
  kConflict = 13,  // the state does not allow it now (e.g. already exists)
};

std::string_view to_string(TxCode code);

struct TxResult {
  TxCode code = TxCode::kOk;
  std::string log;  // the reason, for people: "nonce 7 replayed; the account's next nonce is 9"
  bool ok() const { return code == TxCode::kOk; }
};

}  // namespace pilemesh::ledger

#include "pilemesh/ledger/result.hpp"

namespace pilemesh::ledger {

std::string_view to_string(TxCode code) {
  switch (code) {
    case TxCode::kOk:
      return "ok";
    case TxCode::kMalformed:
      return "malformed";
    case TxCode::kWrongChain:
      return "wrong_chain";
    case TxCode::kBadSignature:
      return "bad_signature";
    case TxCode::kBadNonce:
      return "bad_nonce";
    case TxCode::kUnknownType:
      return "unknown_type";
    case TxCode::kInvalidPayload:
      return "invalid_payload";
    case TxCode::kForgedPointer:
      return "forged_pointer";
    case TxCode::kUnauthorized:
      return "unauthorized";
    case TxCode::kNotFound:
      return "not_found";
    case TxCode::kInsufficientFunds:
      return "insufficient_funds";
    case TxCode::kDuplicate:
      return "duplicate";
    case TxCode::kMempoolFull:
      return "mempool_full";
    case TxCode::kConflict:
      return "conflict";
  }
  return "unknown";
}

}  // namespace pilemesh::ledger

// The bytes a member signs to store an off-chain text: "pilemesh/offchain/v1" ‖ sha256(text).
#pragma once

#include <string_view>

#include "pilemesh/ledger/hash.hpp"
#include "pilemesh/ledger/transaction.hpp"

namespace pilemesh::api {

inline ledger::Bytes offchain_message(std::string_view text) {
  const std::string_view domain = "pilemesh/offchain/v1";
  ledger::Bytes m(domain.begin(), domain.end());
  const ledger::Hash h = ledger::sha256(text);
  m.insert(m.end(), h.bytes.begin(), h.bytes.end());
  return m;
}

}  // namespace pilemesh::api

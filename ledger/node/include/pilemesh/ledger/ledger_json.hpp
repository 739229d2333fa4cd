// Ledger objects as JSON, for the HTTP API and the command line (JSON only at the edges: the
// ledger itself speaks the canonical binary encoding).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "pilemesh/ledger/block.hpp"
#include "pilemesh/ledger/block_store.hpp"
#include "pilemesh/ledger/merkle.hpp"
#include "pilemesh/ledger/result.hpp"

namespace pilemesh::ledger {

std::string_view tx_type_name(TxType type);  // "transfer", "register_pile", ...
std::optional<TxType> tx_type_from_name(std::string_view name);
// A payload's JSON form (what a transaction's "payload" holds): the type's fields, or
// {"hex": ...} when the type has no JSON form or the payload does not decode.
nlohmann::json payload_to_json(const Transaction& tx);
// A payload from its JSON form (the fields of service_codec.hpp; {"to", "amount"} for a
// transfer), in its canonical encoding; nothing, with `error` naming the field, when invalid.
std::optional<Bytes> payload_from_json(TxType type, const nlohmann::json& payload,
                                       std::string& error);
std::string_view branch_name(Branch branch);  // "identity", "charging", "evaluation", "market"

nlohmann::json to_json(const BlockHeader& header, const Hash& hash);
nlohmann::json to_json(const Commit& commit);
// The envelope, with the payload decoded for the types this build knows (else as hex).
nlohmann::json to_json(const Transaction& tx);
nlohmann::json to_json(const TxResult& result);
nlohmann::json to_json(const MerkleProof& proof);
nlohmann::json to_json(const TxRecord& record);

}  // namespace pilemesh::ledger

#include <charconv>
#include <nlohmann/json.hpp>
#include <variant>
#include <vector>

#include "json_body.hpp"
#include "pilemesh/api/api.hpp"
#include "pilemesh/gateway/ledger_service.hpp"
#include "pilemesh/ledger/encoding.hpp"
#include "pilemesh/ledger/ledger_json.hpp"

namespace pilemesh::api {
namespace {

using nlohmann::json;
using web::json_error;
using web::Request;
using web::Response;

int http_status_for(ledger::TxCode code) {
  switch (code) {
    case ledger::TxCode::kOk:
      return 202;
    case ledger::TxCode::kMalformed:
      return 400;
    case ledger::TxCode::kDuplicate:
      return 409;
    case ledger::TxCode::kMempoolFull:
      return 503;
    default:
      return 422;
  }
}

Response block(gateway::LedgerService& ledger, const Request& r) {
  const std::string& text = r.params.at("height");
  ledger::Height height = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), height);
  if (ec != std::errc() || end != text.data() + text.size() || height == 0) {
    return json_error(400, "invalid_height", "the height must be a whole number from 1");
  }
  const auto& blocks = ledger.node().store().blocks();
  auto b = blocks.block(height);
  if (!b) {
    return json_error(
        404, "not_found",
        "no block " + text + "; the chain is at height " + std::to_string(blocks.height()));
  }
  json j = ledger::to_json(b->header, *blocks.block_hash(height));
  json txs = json::array();
  for (const ledger::Hash& h : blocks.tx_hashes(height)) {
    if (auto rec = blocks.tx(h)) txs.push_back(ledger::to_json(*rec));
  }
  j["txs"] = std::move(txs);
  j["last_commit"] = ledger::to_json(b->last_commit);
  if (auto c = blocks.commit(height)) j["commit"] = ledger::to_json(*c);
  return web::json_response(200, j.dump());
}

Response tx(gateway::LedgerService& ledger, const Request& r) {
  auto hash = ledger::Hash::from_hex(r.params.at("hash"));
  if (!hash) return json_error(400, "invalid_hash", "a transaction hash is 64 hex digits");
  const auto& blocks = ledger.node().store().blocks();
  auto rec = blocks.tx(*hash);
  if (!rec) {
    const bool waiting = ledger.node().mempool().contains(*hash);
    return json_error(404, waiting ? "pending" : "not_found",
                      waiting ? "the transaction waits for the next block" : "no such transaction");
  }
  json j = ledger::to_json(*rec);
  if (auto proof = blocks.tx_proof(*hash)) {
    j["proof"] = ledger::to_json(*proof);
    j["proof"]["tx_root"] = blocks.header(rec->height)->tx_root.hex();
  }
  return web::json_response(200, j.dump());
}

// A signed transaction from the hex of its canonical encoding, or the error to answer.
std::variant<ledger::Transaction, Response> tx_from_hex(const json& value,
                                                        const std::string& field) {
  if (!value.is_string()) {
    return json_error(422, "invalid_field", field + " must be the hex of a signed transaction");
  }
  const std::string& hex = value.get_ref<const std::string&>();
  if (hex.size() % 2 != 0 || hex.size() > 2 * ledger::kMaxTxBytes) {
    return json_error(400, "malformed",
                      field + " must be an even number of hex digits, at most " +
                          std::to_string(2 * ledger::kMaxTxBytes));
  }
  ledger::Bytes bytes(hex.size() / 2);
  if (!ledger::from_hex(hex, bytes)) return json_error(400, "malformed", field + " is not hex");
  auto decoded = ledger::decode_transaction(bytes);
  if (auto* error = std::get_if<ledger::DecodeError>(&decoded)) {
    return json_error(400, "malformed", field + ": " + error->reason);
  }
  return std::get<ledger::Transaction>(std::move(decoded));
}

// A batch: its signatures are checked on every core (LedgerService::submit_batch).
constexpr std::size_t kMaxBatchTxs = 1000;

// POST /api/v1/ledger/txs  {"tx": "<hex of the canonical encoding>", "signature": "<hex>"?}
//                       or {"txs": ["<hex>", ...]}: one result each, in order
Response submit(gateway::LedgerService& ledger, const Request& r) {
  auto parsed = json_body(r);
  if (auto* error = std::get_if<Response>(&parsed)) return std::move(*error);
  const json& body = std::get<json>(parsed);
  if (body.is_object() && body.contains("txs") && body["txs"].is_array() && !body.contains("tx")) {
    const json& list = body["txs"];
    if (list.empty() || list.size() > kMaxBatchTxs) {
      return json_error(422, "invalid_field",
                        "txs must hold 1 to " + std::to_string(kMaxBatchTxs) + " transactions");
    }
    std::vector<ledger::Transaction> txs;
    txs.reserve(list.size());
    for (std::size_t i = 0; i < list.size(); ++i) {
      auto tx = tx_from_hex(list[i], "txs[" + std::to_string(i) + "]");
      if (auto* error = std::get_if<Response>(&tx)) return std::move(*error);
      txs.push_back(std::get<ledger::Transaction>(std::move(tx)));
    }
    const std::vector<ledger::TxResult> results = ledger.submit_batch(txs);
    json out = json::array();
    for (std::size_t i = 0; i < txs.size(); ++i) {
      out.push_back({{"hash", ledger::hash_of(txs[i]).hex()},
                     {"code", std::string(ledger::to_string(results[i].code))},
                     {"message", results[i].ok() ? "accepted; it will be in the next block"
                                                 : results[i].log}});
    }
    return web::json_response(202, json{{"results", std::move(out)}}.dump());
  }
  if (!body.is_object() || !body.contains("tx") || !body["tx"].is_string()) {
    return json_error(422, "invalid_field",
                      "expected {\"tx\": \"<hex of the signed transaction>\"} or "
                      "{\"txs\": [\"<hex>\", ...]}");
  }
  auto decoded = tx_from_hex(body["tx"], "tx");
  if (auto* error = std::get_if<Response>(&decoded)) return std::move(*error);
  auto transaction = std::get<ledger::Transaction>(std::move(decoded));
  // A transaction prepared by /api/v1/service/prepare comes back with its signature beside it.
  if (body.contains("signature")) {
    if (!body["signature"].is_string() ||
        !ledger::from_hex(body["signature"].get<std::string>(), transaction.signature.bytes)) {
      return json_error(400, "malformed", "signature: expected 128 hex digits");
    }
  }
  const ledger::TxResult result = ledger.submit(transaction);
  if (!result.ok()) {
    return json_error(http_status_for(result.code), std::string(ledger::to_string(result.code)),
                      result.log);
  }
  return web::json_response(202, json{{"hash", ledger::hash_of(transaction).hex()},
                                      {"code", "ok"},
                                      {"message", "accepted; it will be in the next block"}}
                                     .dump());
}

}  // namespace

std::string ledger_status_json(gateway::LedgerService& ledger) {
  auto& node = ledger.node();
  const auto& blocks = node.store().blocks();
  const ledger::Height height = blocks.height();
  json validators = json::array();
  for (const auto& v : node.genesis().validators) validators.push_back(v.hex());
  json j{{"chain_id", node.genesis().chain_id},
         {"height", height},
         {"state_root", node.store().state().root().hex()},
         {"node_key", node.key().public_key().hex()},
         {"validators", std::move(validators)},
         {"mempool", {{"txs", node.mempool().size()}, {"bytes", node.mempool().bytes()}}}};
  if (height > 0) {
    j["latest_block"] = {{"hash", blocks.block_hash(height)->hex()},
                         {"time_ms", blocks.header(height)->time_ms}};
  } else {
    j["latest_block"] = nullptr;
  }
  return j.dump();
}

void register_ledger_routes(web::Router& router, const ApiContext& context) {
  gateway::LedgerService* ledger = context.ledger;
  if (ledger == nullptr) return;
  router.add("GET", "/api/v1/ledger/status", [ledger](const Request&) {
    return web::json_response(200, ledger_status_json(*ledger));
  });
  router.add("GET", "/api/v1/ledger/blocks/{height}",
             [ledger](const Request& r) { return block(*ledger, r); });
  router.add("GET", "/api/v1/ledger/txs/{hash}",
             [ledger](const Request& r) { return tx(*ledger, r); });
  router.add("POST", "/api/v1/ledger/txs",
             [ledger](const Request& r) { return submit(*ledger, r); });
}

}  // namespace pilemesh::api

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "pilemesh/ledger/ledger_node.hpp"

namespace pilemesh::ledger {
namespace {

PublicKey key_field(const nlohmann::json& j, const std::string& where) {
  if (!j.is_string()) throw std::runtime_error(where + ": expected a hex public key");
  auto key = PublicKey::from_hex(j.get<std::string>());
  if (!key) throw std::runtime_error(where + ": expected 64 hex digits");
  return *key;
}

}  // namespace

Genesis genesis_from_json(std::string_view text, const std::string& source) {
  const auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) throw std::runtime_error(source + ": not a JSON object");
  Genesis g;
  if (!j.contains("chain_id") || !j["chain_id"].is_string())
    throw std::runtime_error(source + ": chain_id: expected a string");
  g.chain_id = j["chain_id"].get<std::string>();
  if (g.chain_id.empty() || g.chain_id.size() > kMaxChainIdBytes) {
    throw std::runtime_error(source + ": chain_id: 1 to " + std::to_string(kMaxChainIdBytes) +
                             " characters");
  }
  if (!j.contains("time_ms") || !j["time_ms"].is_number_integer())
    throw std::runtime_error(source + ": time_ms: expected an integer");
  g.time_ms = j["time_ms"].get<std::int64_t>();
  if (!j.contains("validators") || !j["validators"].is_array() || j["validators"].empty()) {
    throw std::runtime_error(source + ": validators: expected a non-empty list of keys");
  }
  for (std::size_t i = 0; i < j["validators"].size(); ++i) {
    g.validators.push_back(
        key_field(j["validators"][i], source + ": validators[" + std::to_string(i) + "]"));
  }
  if (j.contains("accounts")) {
    if (!j["accounts"].is_array()) throw std::runtime_error(source + ": accounts: expected a list");
    for (std::size_t i = 0; i < j["accounts"].size(); ++i) {
      const auto& a = j["accounts"][i];
      const std::string where = source + ": accounts[" + std::to_string(i) + "]";
      if (!a.is_object() || !a.contains("balance") || !a["balance"].is_number_unsigned()) {
        throw std::runtime_error(where +
                                 ": expected {\"key\": ..., \"balance\": a whole number >= 0}");
      }
      g.accounts.push_back({key_field(a.value("key", nlohmann::json()), where + ".key"),
                            a["balance"].get<std::uint64_t>()});
    }
  }
  // One canonical order, whatever the file's, so every peer derives the same state.
  std::sort(g.validators.begin(), g.validators.end());
  std::sort(g.accounts.begin(), g.accounts.end(),
            [](const auto& a, const auto& b) { return a.key < b.key; });
  if (std::adjacent_find(g.validators.begin(), g.validators.end()) != g.validators.end()) {
    throw std::runtime_error(source + ": validators: a key is listed twice");
  }
  if (std::adjacent_find(g.accounts.begin(), g.accounts.end(), [](const auto& a, const auto& b) {
        return a.key == b.key;
      }) != g.accounts.end()) {
    throw std::runtime_error(source + ": accounts: a key is listed twice");
  }
  return g;
}

std::string genesis_to_json(const Genesis& g) {
  nlohmann::json j;
  j["chain_id"] = g.chain_id;
  j["time_ms"] = g.time_ms;
  j["validators"] = nlohmann::json::array();
  for (const auto& v : g.validators) j["validators"].push_back(v.hex());
  j["accounts"] = nlohmann::json::array();
  for (const auto& a : g.accounts)
    j["accounts"].push_back({{"key", a.key.hex()}, {"balance", a.balance}});
  return j.dump(2) + "\n";
}

Genesis load_genesis(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error(file.string() + ": cannot read the genesis file");
  std::stringstream text;
  text << in.rdbuf();
  return genesis_from_json(text.str(), file.string());
}

Hash genesis_hash(const Genesis& genesis) {
  return sha256(genesis_to_json(genesis));
}

}  // namespace pilemesh::ledger

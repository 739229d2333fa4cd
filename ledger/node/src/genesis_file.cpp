#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
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

const char* role_name(Role r) {
  switch (r) {
    case Role::kEvUser:
      return "ev_user";
    case Role::kPileOwner:
      return "owner";
    case Role::kAdmin:
      return "admin";
  }
  return "ev_user";
}

Role role_field(const nlohmann::json& j, const std::string& where) {
  const std::string name = j.is_string() ? j.get<std::string>() : "";
  if (name == "ev_user") return Role::kEvUser;
  if (name == "owner") return Role::kPileOwner;
  if (name == "admin") return Role::kAdmin;
  throw std::runtime_error(where + ": expected \"ev_user\", \"owner\" or \"admin\"");
}

// Reads an optional integer parameter within [lo, hi].
template <class T>
void param(const nlohmann::json& params, const char* name, T& out, std::int64_t lo, std::int64_t hi,
           const std::string& source) {
  if (!params.contains(name)) return;
  const auto& v = params[name];
  if (!v.is_number_integer() || v.get<std::int64_t>() < lo || v.get<std::int64_t>() > hi) {
    throw std::runtime_error(source + ": params." + name + ": expected a whole number from " +
                             std::to_string(lo) + " to " + std::to_string(hi));
  }
  out = static_cast<T>(v.get<std::int64_t>());
}

ServiceParams params_from_json(const nlohmann::json& p, const std::string& source) {
  ServiceParams out;
  if (!p.is_object()) throw std::runtime_error(source + ": params: expected an object");
  static const std::set<std::string> kKnown = {
      "attestations_to_verify", "min_credibility",    "no_show_grace_ms", "late_grace_ms",
      "start_early_ms",         "immediate_slack_ms", "max_booking_ms",   "max_booking_ahead_ms",
      "utc_offset_minutes",     "reputation_mu",      "reputation_sigma", "currency"};
  for (const auto& [name, value] : p.items()) {
    if (kKnown.count(name) == 0)
      throw std::runtime_error(source + ": params." + name + ": unknown");
  }
  constexpr std::int64_t kDay = 24LL * 3'600'000;
  param(p, "attestations_to_verify", out.attestations_to_verify, 0, 16, source);
  param(p, "min_credibility", out.min_credibility, -1'000'000, 0, source);
  param(p, "no_show_grace_ms", out.no_show_grace_ms, 0, kDay, source);
  param(p, "late_grace_ms", out.late_grace_ms, 0, kDay, source);
  param(p, "start_early_ms", out.start_early_ms, 0, kDay, source);
  param(p, "immediate_slack_ms", out.immediate_slack_ms, 0, kDay, source);
  param(p, "max_booking_ms", out.max_booking_ms, 60'000, 7 * kDay, source);
  param(p, "max_booking_ahead_ms", out.max_booking_ahead_ms, 0, 366 * kDay, source);
  param(p, "utc_offset_minutes", out.utc_offset_minutes, -14 * 60, 14 * 60, source);
  param(p, "reputation_mu", out.reputation_mu, 1'000'001, 1'000'000'000, source);
  param(p, "reputation_sigma", out.reputation_sigma, 1'000, 1'000'000'000, source);
  if (p.contains("currency")) {
    const auto& c = p["currency"];
    const std::string code = c.is_string() ? c.get<std::string>() : "";
    if (code.size() != 3 ||
        !std::all_of(code.begin(), code.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; })) {
      throw std::runtime_error(source + ": params.currency: expected an ISO 4217 code like EUR");
    }
    out.currency = code;
  }
  return out;
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
  if (j.contains("members")) {
    if (!j["members"].is_array()) throw std::runtime_error(source + ": members: expected a list");
    for (std::size_t i = 0; i < j["members"].size(); ++i) {
      const auto& m = j["members"][i];
      const std::string where = source + ": members[" + std::to_string(i) + "]";
      if (!m.is_object())
        throw std::runtime_error(where + ": expected {\"key\": ..., \"role\": ...}");
      g.members.push_back({key_field(m.value("key", nlohmann::json()), where + ".key"),
                           role_field(m.value("role", nlohmann::json()), where + ".role")});
    }
  }
  if (j.contains("params")) g.params = params_from_json(j["params"], source);
  // One canonical order, whatever the file's, so every peer derives the same state.
  std::sort(g.validators.begin(), g.validators.end());
  std::sort(g.members.begin(), g.members.end(),
            [](const auto& a, const auto& b) { return a.key < b.key; });
  if (std::adjacent_find(g.members.begin(), g.members.end(), [](const auto& a, const auto& b) {
        return a.key == b.key;
      }) != g.members.end()) {
    throw std::runtime_error(source + ": members: a key is listed twice");
  }
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
  j["members"] = nlohmann::json::array();
  for (const auto& m : g.members)
    j["members"].push_back({{"key", m.key.hex()}, {"role", role_name(m.role)}});
  const ServiceParams& p = g.params;
  j["params"] = {{"attestations_to_verify", p.attestations_to_verify},
                 {"min_credibility", p.min_credibility},
                 {"no_show_grace_ms", p.no_show_grace_ms},
                 {"late_grace_ms", p.late_grace_ms},
                 {"start_early_ms", p.start_early_ms},
                 {"immediate_slack_ms", p.immediate_slack_ms},
                 {"max_booking_ms", p.max_booking_ms},
                 {"max_booking_ahead_ms", p.max_booking_ahead_ms},
                 {"utc_offset_minutes", p.utc_offset_minutes},
                 {"reputation_mu", p.reputation_mu},
                 {"reputation_sigma", p.reputation_sigma},
                 {"currency", p.currency}};
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

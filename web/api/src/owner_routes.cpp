// The gateway owner's routes: the first-run wizard (GET /api/v1/setup, POST /setup/owner,
// POST /setup/pile), the owner's password login (POST /api/v1/auth/owner), and signing with the
// gateway's key for the owner's session (POST /api/v1/owner/sign).
//
// The owner's account key is the gateway's own key: it owns the gateway's piles and signs
// their sessions, so it never leaves the gateway (docs/security.md). The owner's browser
// prepares transactions like any member's, and asks the gateway to sign them.
#include <nlohmann/json.hpp>
#include <set>

#include "auth_routes.hpp"
#include "caller.hpp"
#include "json_body.hpp"
#include "offchain_message.hpp"
#include "pilemesh/api/api.hpp"
#include "pilemesh/gateway/geohash.hpp"
#include "pilemesh/gateway/owner_credentials.hpp"
#include "pilemesh/gateway/sharing_service.hpp"
#include "pilemesh/ledger/encoding.hpp"
#include "pilemesh/ledger/hash.hpp"
#include "pilemesh/ledger/ledger_json.hpp"
#include "pilemesh/plugins/plugin_registry.hpp"

namespace pilemesh::api {
namespace {

using nlohmann::json;
using web::json_error;
using web::Request;
using web::Response;

Response ok(const json& j, int status = 200) {
  return web::json_response(status, j.dump());
}

const std::string* string_field(const json& body, const char* name) {
  if (!body.is_object() || !body.contains(name) || !body[name].is_string()) return nullptr;
  return &body[name].get_ref<const std::string&>();
}

// The charger drivers of the loaded plugins, for the wizard's choice.
json charger_drivers(const plugins::PluginRegistry* registry) {
  json out = json::array();
  if (registry == nullptr) return out;
  for (const auto& p : registry->plugins()) {
    for (std::size_t n = 0; n < p.entry->factory_count; ++n) {
      const hal::DriverFactory& f = p.entry->factories[n];
      if (f.kind != hal::DriverKind::kCharger) continue;
      json settings = json::array();
      for (std::size_t i = 0; i < f.settings_count; ++i) {
        const auto& s = f.settings[i];
        settings.push_back({{"key", s.key}, {"description", s.description ? s.description : ""}});
      }
      out.push_back({{"name", std::string(p.entry->name) + "/" + f.name},
                     {"description", f.description ? f.description : ""},
                     {"settings", std::move(settings)}});
    }
  }
  return out;
}

Response setup_state(const ApiContext& ctx) {
  json piles = json::array();
  if (ctx.state != nullptr)
    for (const auto& p : ctx.state->piles()) piles.push_back(p.id);
  return ok({{"needed", ctx.owner && !ctx.owner->has_password()},
             {"demo", ctx.demo},
             {"name", ctx.name},
             {"location", ctx.location},
             {"gateway_key", ctx.service->ledger().node().key().public_key().hex()},
             {"piles", std::move(piles)},
             {"drivers", charger_drivers(ctx.plugins)}});
}

const ledger::PublicKey& gateway_key(const ApiContext& ctx) {
  return ctx.service->ledger().node().key().public_key();
}

// Step one of the wizard: the setup code proves the person is at the gateway (it is in its log
// and its data folder); they choose the owner's password and get the owner's session.
Response claim(const ApiContext& ctx, MemberAuth& auth, const Request& r) {
  if (!ctx.owner) return json_error(404, "not_found", "this gateway has no owner sign-in");
  if (ctx.owner->has_password())
    return json_error(409, "set_up",
                      "this gateway is set up already: sign in with the owner's password");
  auto parsed = json_body(r);
  if (auto* e = std::get_if<Response>(&parsed)) return std::move(*e);
  const json& body = std::get<json>(parsed);
  const std::string* code = string_field(body, "code");
  const std::string* password = string_field(body, "password");
  if (code == nullptr || password == nullptr)
    return json_error(422, "invalid_field", "expected {\"code\": \"...\", \"password\": \"...\"}");
  if (password->size() < gateway::OwnerCredentials::kMinPasswordLength ||
      password->size() > gateway::OwnerCredentials::kMaxPasswordLength) {
    return json_error(422, "invalid_field",
                      "password: " + std::to_string(gateway::OwnerCredentials::kMinPasswordLength) +
                          " to " + std::to_string(gateway::OwnerCredentials::kMaxPasswordLength) +
                          " characters");
  }
  auto result = auth.login_proven(r.remote_address, gateway_key(ctx),
                                  [&] { return ctx.owner->check_setup_code(*code); });
  if (std::holds_alternative<LoginError>(result) &&
      std::get<LoginError>(result) == LoginError::kBadSignature) {
    return json_error(403, "bad_code",
                      "the setup code does not match: the gateway prints it in its log at start, "
                      "and keeps it in the file setup-code of its data folder");
  }
  if (std::holds_alternative<MemberAuth::Opened>(result)) {
    if (std::string problem = ctx.owner->set_password(*password); !problem.empty())
      return json_error(422, "invalid_field", "password: " + problem);
  }
  return login_answer(auth, *ctx.service, gateway_key(ctx), result, r.secure);
}

Response owner_login(const ApiContext& ctx, MemberAuth& auth, const Request& r) {
  if (!ctx.owner || !ctx.owner->has_password())
    return json_error(409, "not_set_up",
                      "the owner has no password yet: run the first-run setup (#/setup)");
  auto parsed = json_body(r);
  if (auto* e = std::get_if<Response>(&parsed)) return std::move(*e);
  const std::string* password = string_field(std::get<json>(parsed), "password");
  if (password == nullptr)
    return json_error(422, "invalid_field", "expected {\"password\": \"...\"}");
  auto result = auth.login_proven(r.remote_address, gateway_key(ctx),
                                  [&] { return ctx.owner->verify_password(*password); });
  if (std::holds_alternative<LoginError>(result) &&
      std::get<LoginError>(result) == LoginError::kBadSignature) {
    return json_error(401, "bad_password", "the password is not the owner's; try again");
  }
  return login_answer(auth, *ctx.service, gateway_key(ctx), result, r.secure);
}

// The owner's session, or the answer to send instead.
std::optional<Response> require_owner(const ApiContext& ctx, MemberAuth& auth, const Request& r) {
  auto caller = authenticate(auth, *ctx.service, r, true);
  if (auto* e = std::get_if<Response>(&caller)) return std::move(*e);
  if (std::get<Caller>(caller).key != gateway_key(ctx))
    return forbidden("only the owner of this gateway, signed in with its password, does this");
  return std::nullopt;
}

// Signs, with the gateway's key, a transaction prepared for it, or an off-chain text: only
// those two, each in its own domain, so the signature can serve nothing else (not a login to
// another gateway, say).
Response sign(const ApiContext& ctx, MemberAuth& auth, const Request& r) {
  if (auto denied = require_owner(ctx, auth, r)) return std::move(*denied);
  auto parsed = json_body(r);
  if (auto* e = std::get_if<Response>(&parsed)) return std::move(*e);
  const json& body = std::get<json>(parsed);
  const ledger::KeyStore& key = ctx.service->ledger().node().key();
  if (const std::string* hex = string_field(body, "tx")) {
    ledger::Bytes bytes(hex->size() / 2);
    if (hex->size() % 2 != 0 || hex->size() > 2 * ledger::kMaxTxBytes ||
        !ledger::from_hex(*hex, bytes))
      return json_error(400, "malformed", "tx: the hex of a prepared transaction");
    auto decoded = ledger::decode_transaction(bytes);
    if (auto* error = std::get_if<ledger::DecodeError>(&decoded))
      return json_error(400, "malformed", "tx: " + error->reason);
    const auto& tx = std::get<ledger::Transaction>(decoded);
    if (tx.signer != key.public_key() ||
        tx.chain_id != ctx.service->ledger().node().genesis().chain_id) {
      return json_error(403, "forbidden",
                        "tx: only transactions of this gateway's key on this chain are signed");
    }
    // What an owner and admin decides; never what the gateway itself attests (a session's
    // start and stop with their meter readings) nor money leaving its wallet.
    static const std::set<ledger::TxType> kOwnerTypes = {
        ledger::TxType::kSetTariff,    ledger::TxType::kUpdatePile,    ledger::TxType::kRetirePile,
        ledger::TxType::kAttest,       ledger::TxType::kReject,        ledger::TxType::kSuspend,
        ledger::TxType::kConfirmTopUp, ledger::TxType::kRespondRating, ledger::TxType::kMarkNoShow};
    if (kOwnerTypes.count(tx.type) == 0) {
      return json_error(403, "forbidden",
                        "tx: the gateway signs " + std::string(ledger::tx_type_name(tx.type)) +
                            " itself, never for a page");
    }
    return ok({{"signature", ledger::to_hex(key.sign(ledger::signing_bytes(tx)).bytes)}});
  }
  if (const std::string* text = string_field(body, "offchain_text")) {
    if (text->empty() || text->size() > ledger::kMaxOffchainTextBytes)
      return json_error(422, "invalid_field", "offchain_text: 1 to 4096 bytes");
    return ok({{"signer", key.public_key().hex()},
               {"signature", ledger::to_hex(key.sign(offchain_message(*text)).bytes)}});
  }
  return json_error(422, "invalid_field",
                    "expected {\"tx\": \"<hex from prepare>\"} or {\"offchain_text\": \"...\"}");
}

// The wizard's pile: a driver of a loaded plugin, checked like the configuration; the gateway
// writes it to its setup file and restarts to connect it.
Response add_pile(const ApiContext& ctx, MemberAuth& auth, const Request& r) {
  if (auto denied = require_owner(ctx, auth, r)) return std::move(*denied);
  if (!ctx.add_pile) return json_error(404, "not_found", "this gateway cannot add piles");
  auto parsed = json_body(r);
  if (auto* e = std::get_if<Response>(&parsed)) return std::move(*e);
  const json& body = std::get<json>(parsed);
  const std::string* id = string_field(body, "id");
  const std::string* driver = string_field(body, "driver");
  if (id == nullptr || driver == nullptr)
    return json_error(422, "invalid_field",
                      "expected {\"id\", \"name\", \"driver\", \"settings\": {…}, \"location\", "
                      "\"address\"}");
  config::SetupPile pile;
  pile.id = *id;
  pile.driver = *driver;
  pile.name = body.value("name", *id);
  std::string location = body.value("location", std::string());
  const std::string address = body.value("address", std::string());
  if (!location.empty() && !gateway::geohash_center(location))
    return json_error(422, "invalid_field", "location: a geohash cell such as u33dc1");
  if (body.contains("settings")) {
    if (!body["settings"].is_object())
      return json_error(422, "invalid_field", "settings: an object of the driver's settings");
    for (const auto& [key, value] : body["settings"].items()) {
      if (value.is_boolean()) {
        pile.settings.emplace_back(key, value.get<bool>());
      } else if (value.is_number_integer()) {
        pile.settings.emplace_back(key, value.get<std::int64_t>());
      } else if (value.is_number()) {
        pile.settings.emplace_back(key, value.get<double>());
      } else if (value.is_string()) {
        pile.settings.emplace_back(key, value.get<std::string>());
      } else {
        return json_error(422, "invalid_field",
                          "settings." + key + ": a boolean, a number or a text");
      }
    }
  }
  if (std::string problem = ctx.add_pile(pile, location, address); !problem.empty())
    return json_error(422, "invalid_pile", problem);
  return ok({{"restarting", true},
             {"message", "the gateway restarts to connect the pile; this takes a few seconds"}},
            202);
}

}  // namespace

void register_owner_routes(web::Router& router, const ApiContext& context,
                           std::shared_ptr<MemberAuth> auth) {
  const ApiContext* ctx = &context;
  if (ctx->service == nullptr) return;
  router.add("GET", "/api/v1/setup", [ctx](const Request&) { return setup_state(*ctx); });
  router.add("POST", "/api/v1/setup/owner",
             [ctx, auth](const Request& r) { return claim(*ctx, *auth, r); });
  router.add("POST", "/api/v1/setup/pile",
             [ctx, auth](const Request& r) { return add_pile(*ctx, *auth, r); });
  router.add("POST", "/api/v1/auth/owner",
             [ctx, auth](const Request& r) { return owner_login(*ctx, *auth, r); });
  router.add("POST", "/api/v1/owner/sign",
             [ctx, auth](const Request& r) { return sign(*ctx, *auth, r); });
}

}  // namespace pilemesh::api

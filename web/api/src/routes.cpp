#include <cmath>
#include <nlohmann/json.hpp>

#include "caller.hpp"
#include "json_body.hpp"
#include "member_auth.hpp"
#include "pilemesh/api/api.hpp"
#include "pilemesh/gateway/ledger_service.hpp"
#include "pilemesh/gateway/sharing_service.hpp"
#include "pilemesh/plugins/plugin_registry.hpp"
#include "pilemesh/web/assets.hpp"

namespace pilemesh::api {
namespace {

using nlohmann::json;
using web::json_error;
using web::Request;
using web::Response;

// The server answers If-None-Match with 304 itself when the ETag matches. Every client of the
// gateway speaks gzip; the body was compressed once, at build time.
Response asset_response(const web::Asset& a, const Request& request) {
  Response r;
  const bool gzip =
      request.header && request.header("Accept-Encoding").find("gzip") != std::string::npos;
  r.body = std::string(gzip ? a.gzip : a.body);
  r.content_type = std::string(a.content_type);
  r.headers = {{"ETag", std::string(a.etag)},
               {"Cache-Control", std::string(a.cache_control)},
               {"Vary", "Accept-Encoding"}};
  if (gzip) r.headers.emplace_back("Content-Encoding", "gzip");
  if (a.content_type.starts_with("text/html")) {
    // The page runs only its own scripts and styles, talks only to this gateway, and is never
    // framed: an injected review text could do nothing even if it were ever read as markup.
    r.headers.emplace_back("Content-Security-Policy",
                           "default-src 'none'; script-src 'self'; style-src 'self'; "
                           "img-src 'self' data:; connect-src 'self'; manifest-src 'self'; "
                           "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    r.headers.emplace_back("Referrer-Policy", "no-referrer");
    r.headers.emplace_back("X-Frame-Options", "DENY");
    r.headers.emplace_back("Permissions-Policy", "camera=(self), geolocation=(self)");
  }
  return r;
}

int http_status_for(hal::StatusCode code) {
  switch (code) {
    case hal::StatusCode::kOk:
      return 200;
    case hal::StatusCode::kInvalidArgument:
      return 400;
    case hal::StatusCode::kNotSupported:
      return 501;
    case hal::StatusCode::kFailedPrecondition:
      return 409;
    case hal::StatusCode::kUnavailable:
      return 503;
    case hal::StatusCode::kInternal:
      return 500;
  }
  return 500;
}

// PUT /api/v1/piles/{id}/connectors/{connector}/current-limit  {"current_a": 10}
// The gateway's owner (signed in, as the gateway's key) and admins command its piles, with
// the session's CSRF token. A gateway without the sharing service has no sessions: there,
// only this machine itself may.
Response set_current_limit(const ApiContext& context, MemberAuth* auth, const Request& request) {
  if (auth != nullptr && context.service != nullptr) {
    auto caller = authenticate(*auth, *context.service, request, true);
    if (auto* refused = std::get_if<Response>(&caller)) return std::move(*refused);
    const Caller& c = std::get<Caller>(caller);
    if (!c.admin && c.key != context.service->ledger().node().key().public_key())
      return json_error(403, "forbidden", "only the gateway's owner and admins command its piles");
  } else if (!request.from_loopback) {
    return json_error(403, "forbidden", "pile commands are accepted only from this machine");
  }
  const std::string& pile_id = request.params.at("id");
  const gateway::PileState* pile = context.state->find_pile(pile_id);
  if (pile == nullptr) return json_error(404, "not_found", "no pile \"" + pile_id + "\"");
  const std::string& connector_text = request.params.at("connector");
  hal::ConnectorId connector = 0;
  if (connector_text.empty() || connector_text.size() > 3 ||
      connector_text.find_first_not_of("0123456789") != std::string::npos ||
      (connector = static_cast<hal::ConnectorId>(std::stoul(connector_text))) == 0) {
    return json_error(400, "invalid_connector", "the connector must be a number from 1");
  }
  auto parsed = json_body(request);
  if (auto* error = std::get_if<Response>(&parsed)) return std::move(*error);
  const json& body = std::get<json>(parsed);
  if (!body.is_object() || !body.contains("current_a") || !body["current_a"].is_number()) {
    return json_error(422, "invalid_field",
                      "expected an object with \"current_a\", a number of amps (0 pauses)");
  }
  const double amps = body["current_a"].get<double>();
  if (!std::isfinite(amps) || amps < 0 || amps > 80) {
    return json_error(422, "out_of_range", "\"current_a\" must be between 0 and 80 amps");
  }
  const hal::Status status = context.set_current_limit(
      pile_id, connector, static_cast<std::int32_t>(std::lround(amps * 1000)));
  if (!status.is_ok()) {
    return json_error(http_status_for(status.code()), std::string(hal::to_string(status.code())),
                      status.message());
  }
  return web::json_response(200, json{{"pile", pile_id},
                                      {"connector", connector},
                                      {"current_limit_ma", std::lround(amps * 1000)}}
                                     .dump());
}

// A plugin's health is that of the devices its drivers run: each with whether it is online
// and its last error.
json plugin_devices(const std::string& plugin, const gateway::LiveState* state) {
  json devices = json::array();
  if (state == nullptr) return devices;
  const auto of_plugin = [&](const std::string& driver) {
    return driver.size() > plugin.size() && driver.compare(0, plugin.size(), plugin) == 0 &&
           driver[plugin.size()] == '/';
  };
  const auto add = [&](const auto& device, const char* kind) {
    if (!of_plugin(device.driver)) return;
    devices.push_back({{"id", device.id},
                       {"kind", kind},
                       {"driver", device.driver},
                       {"online", device.health.online},
                       {"error", device.health.error}});
  };
  for (const auto& pile : state->piles()) add(pile, "charger");
  for (const auto& meter : state->meters()) add(meter, "meter");
  return devices;
}

json plugins_json(const plugins::PluginRegistry& registry, const gateway::LiveState* state) {
  json list = json::array();
  for (const auto& p : registry.plugins()) {
    json drivers = json::array();
    for (std::size_t i = 0; i < p.entry->factory_count; ++i) {
      const auto& f = p.entry->factories[i];
      drivers.push_back({{"name", std::string(p.entry->name) + "/" + f.name},
                         {"kind", f.kind == hal::DriverKind::kCharger ? "charger"
                                  : f.kind == hal::DriverKind::kMeter ? "meter"
                                                                      : "top_up"},
                         {"description", f.description ? f.description : ""}});
    }
    list.push_back({{"name", p.entry->name},
                    {"vendor", p.entry->vendor},
                    {"version", p.entry->version},
                    {"description", p.entry->description},
                    {"drivers", std::move(drivers)},
                    {"devices", plugin_devices(p.entry->name, state)}});
  }
  return list;
}

}  // namespace

void register_routes(web::Router& router, const ApiContext& context) {
  const ApiContext* ctx = &context;
  router.add("GET", "/healthz",
             [](const Request&) { return web::json_response(200, R"({"status":"ok"})"); });
  router.add("GET", "/api/v1/status",
             [ctx](const Request&) { return web::json_response(200, status_json(*ctx)); });
  router.add("GET", "/api/v1/plugins", [ctx](const Request&) {
    return web::json_response(200, json{{"plugins", plugins_json(*ctx->plugins, ctx->state)},
                                        {"refused", ctx->refused_plugins}}
                                       .dump());
  });
  router.add("GET", "/metrics", [ctx](const Request&) {
    Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = metrics_text(*ctx);
    return r;
  });
  register_ledger_routes(router, context);
  register_qr_routes(router);
  std::shared_ptr<MemberAuth> auth;
  if (gateway::SharingService* service = context.service) {
    auth = context.auth ? context.auth : make_member_auth(*service);
    register_auth_routes(router, context, auth);
    register_owner_routes(router, context, auth);
    register_service_routes(router, context, auth);
  }
  router.add("PUT", "/api/v1/piles/{id}/connectors/{connector}/current-limit",
             [ctx, auth](const Request& r) { return set_current_limit(*ctx, auth.get(), r); });
  for (const web::Asset& a : web::all_assets()) {
    router.add("GET", a.path, [&a](const Request& r) { return asset_response(a, r); });
  }
  if (const web::Asset* index = web::find_asset("/")) {
    router.add("GET", "/", [index](const Request& r) { return asset_response(*index, r); });
  }
}

}  // namespace pilemesh::api

// The gateway's HTTP API, version 1: health, status, live events, metrics, the page's assets,
// and the few commands a pile accepts. JSON in and out, errors in the one shape of http.hpp.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pilemesh/config/setup_file.hpp"
#include "pilemesh/gateway/live_state.hpp"
#include "pilemesh/hal/status.hpp"
#include "pilemesh/web/http.hpp"
#include "pilemesh/web/server.hpp"

namespace pilemesh::plugins {
class PluginRegistry;
}
namespace pilemesh::gateway {
class LedgerService;
class SharingService;
class OwnerCredentials;
}  // namespace pilemesh::gateway

namespace pilemesh::api {

class MemberAuth;

struct ApiContext {
  std::string name;      // the gateway's name
  std::string version;   // pilemesh's version
  std::string location;  // the piles' coarse public geohash cell; "" when not offered
  std::chrono::steady_clock::time_point started;
  const gateway::LiveState* state = nullptr;
  const plugins::PluginRegistry* plugins = nullptr;
  // Plugin files refused at start, one message each (the file and the reason).
  std::vector<std::string> refused_plugins;
  gateway::LedgerService* ledger = nullptr;
  gateway::SharingService* service = nullptr;
  // Member sessions (make_member_auth); made by register_routes when not set.
  std::shared_ptr<MemberAuth> auth;
  // The owner's password and the first-run setup code; none: no owner sign-in.
  std::shared_ptr<gateway::OwnerCredentials> owner;
  // A demo neighbourhood (`pilemesh demo seed`): the page offers its sign-in links.
  bool demo = false;
  // Adds a pile chosen in the first-run wizard: checked like the configuration, written to
  // <data_dir>/setup.toml, then the gateway restarts to connect it. "" or why not.
  std::function<std::string(const config::SetupPile& pile, const std::string& location,
                            const std::string& address)>
      add_pile;
  // Set by the daemon once the server exists.
  std::function<const web::HttpMetrics*()> http_metrics;
  // Sets a connector's current limit through the pile's driver.
  std::function<hal::Status(std::string_view pile, hal::ConnectorId, std::int32_t milliamps)>
      set_current_limit;
};

inline constexpr std::string_view kEventsPath = "/api/v1/events";

// The sessions of members logging in to this gateway's service.
std::shared_ptr<MemberAuth> make_member_auth(gateway::SharingService& service);

// Who subscribes to the event stream (web::ServerOptions::event_audience): the logged-in
// member's key (hex), kAdminAudience for an admin, "" for anyone else. Service events go to
// the members they concern and to admins; everyone gets the piles', meters' and ledger's.
inline constexpr std::string_view kAdminAudience = "admin";
std::string event_audience(const ApiContext& context, const web::Request& request);

// Registers every route on `router`. `context` must outlive the router.
void register_routes(web::Router& router, const ApiContext& context);

// GET /api/v1/ledger/status, /blocks/{height}, /txs/{hash}; POST /api/v1/ledger/txs.
void register_ledger_routes(web::Router& router, const ApiContext& context);
std::string ledger_status_json(gateway::LedgerService& ledger);

// GET /api/v1/qr?text=: the QR code of a text as SVG, for the page to show.
void register_qr_routes(web::Router& router);

// Member sessions under /api/v1/auth/, and the sharing service under /api/v1/service/
// (docs/api.md), which answers each member about their own things only.
void register_auth_routes(web::Router& router, const ApiContext& context,
                          std::shared_ptr<MemberAuth> auth);
void register_service_routes(web::Router& router, const ApiContext& context,
                             std::shared_ptr<MemberAuth> auth);
// The owner of this gateway: the first-run wizard under /api/v1/setup, the password login
// (POST /api/v1/auth/owner), and signing with the gateway's key (POST /api/v1/owner/sign).
void register_owner_routes(web::Router& router, const ApiContext& context,
                           std::shared_ptr<MemberAuth> auth);

// The status document of GET /api/v1/status, and the pieces the event stream sends.
std::string status_json(const ApiContext& context);
std::string pile_json(const gateway::PileState& pile);
std::string meter_json(const gateway::MeterState& meter);

// The Prometheus text exposition of GET /metrics.
std::string metrics_text(const ApiContext& context);

}  // namespace pilemesh::api

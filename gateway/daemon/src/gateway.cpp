#include "gateway.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/ip/host_name.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <fstream>
#include <iostream>
#include <optional>
#include <set>
#include <sstream>

#include "pilemesh/api/api.hpp"
#include "pilemesh/config/setup_file.hpp"
#include "pilemesh/gateway/device_supervisor.hpp"
#include "pilemesh/gateway/ledger_service.hpp"
#include "pilemesh/gateway/owner_credentials.hpp"
#include "pilemesh/gateway/sharing_service.hpp"
#include "pilemesh/gateway/system.hpp"
#include "pilemesh/gateway/tls_certificate.hpp"
#include "pilemesh/store/gateway_store.hpp"
#include "pilemesh/transports/ocpp_listener.hpp"
#include "pilemesh/version.hpp"
#include "pilemesh/web/server.hpp"

namespace pilemesh::gateway {
namespace {

// A configured device matched with its driver factory and validated settings.
struct ResolvedDevice {
  const config::DeviceConfig* config = nullptr;
  hal::DriverKind kind = hal::DriverKind::kCharger;  // pile or meter, from where it is configured
  plugins::PluginRegistry::Found found;
  std::optional<config::ResolvedSettings> settings;
  std::string unavailable;  // why the driver cannot be used (plugin missing); device stays offline
};

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Whole or not at all: a temporary file renamed over the old one.
std::string write_text(const std::filesystem::path& file, const std::string& text) {
  const auto tmp = file.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text;
    out.flush();
    if (!out) return "cannot write " + tmp;
  }
  std::error_code ec;
  std::filesystem::rename(tmp, file, ec);
  return ec ? "cannot write " + file.string() + ": " + ec.message() : "";
}

const char* kind_phrase(hal::DriverKind kind) {
  switch (kind) {
    case hal::DriverKind::kCharger:
      return "pile";
    case hal::DriverKind::kMeter:
      return "meter";
    case hal::DriverKind::kTopUp:
      return "top-up method";
  }
  return "device";
}

std::vector<ResolvedDevice> resolve_devices(const config::Config& config,
                                            const plugins::PluginRegistry& registry,
                                            std::vector<std::string>& config_errors) {
  std::vector<ResolvedDevice> devices;
  auto resolve = [&](const config::DeviceConfig& device, hal::DriverKind kind) {
    ResolvedDevice r;
    r.config = &device;
    r.kind = kind;
    std::string error;
    r.found = registry.find(device.driver, error);
    if (r.found.factory == nullptr) {
      r.unavailable = "driver \"" + device.driver + "\" is not available: " + error;
    } else if (r.found.factory->kind != kind) {
      config_errors.push_back(config.source + ": " + device.key_path + ".driver: \"" +
                              device.driver + "\" is for a " + kind_phrase(r.found.factory->kind) +
                              ", not a " + kind_phrase(kind));
    } else {
      std::span<const hal::SettingSpec> spec(r.found.factory->settings,
                                             r.found.factory->settings_count);
      auto result = config::resolve_settings(device, spec, config.source);
      for (const auto& e : result.errors) config_errors.push_back(e.to_string());
      r.settings = std::move(result.settings);
    }
    devices.push_back(std::move(r));
  };
  for (const auto& pile : config.piles) resolve(pile, hal::DriverKind::kCharger);
  for (const auto& meter : config.meters) resolve(meter, hal::DriverKind::kMeter);
  for (const auto& top_up : config.top_ups) resolve(top_up, hal::DriverKind::kTopUp);
  return devices;
}

// The OCPP endpoint, when configured: listening before any OCPP driver attaches to it.
std::unique_ptr<transports::OcppListener> start_ocpp(boost::asio::io_context& io,
                                                     const config::OcppSection& ocpp,
                                                     std::string& problem) {
  if (!ocpp.enabled) return nullptr;
  transports::OcppListenerOptions options;
  options.bind = ocpp.bind;
  options.port = ocpp.port;
  options.max_frame_bytes = ocpp.max_frame_bytes;
  options.frames_per_second = ocpp.max_messages_per_second;
  options.frame_burst = 5.0 * ocpp.max_messages_per_second;
  auto listener = std::make_unique<transports::OcppListener>(io, options);
  problem = listener->start();
  if (!problem.empty()) return nullptr;
  spdlog::info("OCPP endpoint: charge points connect to {}<identity>", listener->url_prefix());
  return listener;
}

}  // namespace

Gateway::Gateway(config::Config config, std::filesystem::path default_plugin_dir)
    : config_(std::move(config)), default_plugin_dir_(std::move(default_plugin_dir)) {}

Gateway::~Gateway() = default;

std::vector<std::filesystem::path> Gateway::plugin_dirs() const {
  if (!config_.plugins.dirs.empty()) return config_.plugins.dirs;
  return {default_plugin_dir_};
}

int Gateway::load_plugins() {
  const plugins::ScanResult scan = plugins_.scan(plugin_dirs());
  if (!scan.fatal.empty()) {
    spdlog::error("{}", scan.fatal);
    return kExitRuntimeError;
  }
  for (const auto& message : scan.refused) spdlog::error("{}", message);
  refused_plugins_ = scan.refused;
  for (const auto& p : plugins_.plugins()) {
    spdlog::info("plugin {} {} ({}) loaded from {}", p.entry->name, p.entry->version,
                 p.entry->vendor, p.path.string());
  }
  return kExitOk;
}

int Gateway::check(bool verbose) {
  if (int rc = load_plugins(); rc != kExitOk) return rc;
  std::vector<std::string> errors;
  auto devices = resolve_devices(config_, plugins_, errors);
  for (const auto& d : devices) {
    if (!d.unavailable.empty()) {
      errors.push_back(config_.source + ": " + d.config->key_path + ".driver: " + d.unavailable);
    }
  }
  for (const auto& e : errors) std::cerr << e << "\n";
  if (!errors.empty()) return kExitConfigError;
  if (verbose) {
    std::cout << config_.source << ": configuration is valid (" << config_.piles.size()
              << " piles, " << config_.meters.size() << " meters, " << plugins_.plugins().size()
              << " plugins)\n";
  }
  return kExitOk;
}

int Gateway::run() {
  const auto started = std::chrono::steady_clock::now();
  spdlog::info("pilemesh {} starting: gateway \"{}\"", kVersion, config_.gateway.name);
  if (int rc = load_plugins(); rc != kExitOk) return rc;
  std::vector<std::string> config_errors;
  auto devices = resolve_devices(config_, plugins_, config_errors);
  if (!config_errors.empty()) {
    for (const auto& e : config_errors) spdlog::error("{}", e);
    return kExitConfigError;
  }

  if (std::string problem = prepare_data_dir(config_.gateway.data_dir); !problem.empty()) {
    spdlog::error("{}", problem);
    return kExitRuntimeError;
  }
  std::optional<store::GatewayStore> store;
  try {
    store.emplace(store::GatewayStore::open(config_.gateway.data_dir));
    const auto boots =
        store->record_boot(kVersion, utc_timestamp(std::chrono::system_clock::now()));
    if (boots > 0 && !store->previous_boot_was_clean()) {
      spdlog::warn("the previous run did not shut down cleanly (power cut or crash)");
    }
  } catch (const store::StoreError& e) {
    spdlog::error(
        "cannot use the gateway database: {}; pilemeshd never replaces it — move the "
        "file aside or restore it from a backup, then start again",
        e.what());
    return kExitRuntimeError;
  }

  boost::asio::io_context io(1);
  std::unique_ptr<LedgerService> ledger;
  try {
    ledger = std::make_unique<LedgerService>(io, config_.gateway.data_dir, config_.ledger);
  } catch (const std::exception& e) {
    spdlog::error("cannot use the ledger: {}", e.what());
    return kExitRuntimeError;
  }
  // Before the drivers, which attach to it, and destroyed after them.
  std::string ocpp_problem;
  std::unique_ptr<transports::OcppListener> ocpp = start_ocpp(io, config_.ocpp, ocpp_problem);
  if (!ocpp_problem.empty()) {
    spdlog::error("{}", ocpp_problem);
    return kExitRuntimeError;
  }
  LiveState state;
  const Backoff backoff(config_.devices.reconnect_initial, config_.devices.reconnect_max);
  std::vector<std::unique_ptr<PileSupervisor>> piles;
  std::vector<std::unique_ptr<MeterSupervisor>> meters;
  std::vector<DeviceSupervisor*> supervisors;
  for (auto& d : devices) {
    if (d.kind == hal::DriverKind::kTopUp) continue;  // below, with the sharing service
    const auto& cfg = *d.config;
    const bool is_pile = d.kind == hal::DriverKind::kCharger;
    if (is_pile)
      state.add_pile(cfg.id, cfg.name, cfg.driver);
    else
      state.add_meter(cfg.id, cfg.name, cfg.driver);
    auto offline = [&](const std::string& why) {
      spdlog::error("[{}] {}; the device stays offline", cfg.id, why);
      DeviceHealth health{false, why, 0};
      if (is_pile)
        state.set_pile_health(cfg.id, health);
      else
        state.set_meter_health(cfg.id, health);
    };
    if (!d.unavailable.empty()) {
      offline(d.unavailable);
      continue;
    }
    auto context = std::make_unique<DriverContextImpl>(io, cfg.id, std::move(*d.settings));
    context->set_ocpp_endpoint(ocpp.get());
    std::string error;
    if (is_pile) {
      auto driver = plugins::create_charger(d.found, *context, error);
      if (!driver) {
        offline(error);
        continue;
      }
      piles.push_back(std::make_unique<PileSupervisor>(io, cfg.id, backoff, std::move(context),
                                                       std::move(driver), state));
      supervisors.push_back(piles.back().get());
    } else {
      auto driver = plugins::create_meter(d.found, *context, error);
      if (!driver) {
        offline(error);
        continue;
      }
      meters.push_back(std::make_unique<MeterSupervisor>(io, cfg.id, backoff, std::move(context),
                                                         std::move(driver), state));
      supervisors.push_back(meters.back().get());
    }
  }

  api::ApiContext api_context;
  api_context.name = config_.gateway.name;
  api_context.location = config_.gateway.location;
  api_context.version = std::string(kVersion);
  api_context.started = started;
  api_context.state = &state;
  api_context.plugins = &plugins_;
  api_context.refused_plugins = refused_plugins_;
  api_context.ledger = ledger.get();
  auto find_pile = [&piles](std::string_view id) -> PileSupervisor* {
    for (auto& p : piles)
      if (p->id() == id) return p.get();
    return nullptr;
  };
  gateway::PileControl control;
  // A command to every connector of a pile; false when the pile is not here or one refuses.
  auto each_connector = [&, find_pile](const std::string& id, const auto& command) {
    PileSupervisor* p = find_pile(id);
    const PileState* live = state.find_pile(id);
    if (p == nullptr || live == nullptr) return false;
    bool all = true;
    for (const auto& c : live->connectors) all = command(*p, c.id).ok() && all;
    return all;
  };
  control.set_enabled = [each_connector](const std::string& id, bool enabled) {
    return each_connector(
        id, [enabled](PileSupervisor& p, hal::ConnectorId c) { return p.set_enabled(c, enabled); });
  };
  control.authorize = [each_connector](const std::string& id, const std::string& token) {
    return each_connector(
        id, [&token](PileSupervisor& p, hal::ConnectorId c) { return p.authorize(c, token); });
  };
  control.energy_wh = [&](const std::string& id) -> std::optional<std::uint64_t> {
    const PileState* live = state.find_pile(id);
    if (live == nullptr || !live->health.online || live->status.empty()) return std::nullopt;
    std::int64_t total = 0;
    for (const auto& [connector, status] : live->status) {
      if (!status.energy_known) return std::nullopt;
      total += status.energy_wh;
    }
    return static_cast<std::uint64_t>(std::max<std::int64_t>(0, total));
  };
  std::optional<ledger::OffchainStore> offchain;
  try {
    offchain.emplace(ledger::OffchainStore::open(config_.gateway.data_dir / "offchain.db"));
  } catch (const std::exception& e) {
    spdlog::error("cannot use the off-chain store: {}", e.what());
    return kExitRuntimeError;
  }
  // Top-up methods: the built-in ones and each configured plugin method that starts.
  TopUpMethods top_ups({config_.payments.iban, config_.payments.beneficiary, config_.payments.bic});
  std::vector<std::unique_ptr<DriverContextImpl>> top_up_contexts;
  std::vector<plugins::DriverPtr<hal::TopUpMethod>> top_up_plugins;
  for (auto& d : devices) {
    if (d.kind != hal::DriverKind::kTopUp) continue;
    const auto& cfg = *d.config;
    std::string error = d.unavailable;
    if (error.empty()) {
      auto context = std::make_unique<DriverContextImpl>(io, cfg.id, std::move(*d.settings));
      auto method = plugins::create_top_up(d.found, *context, error);
      if (method) {
        error = top_ups.add(d.found.factory->top_up_method, cfg.driver,
                            d.found.factory->description, *method);
        if (error.empty()) {
          spdlog::info("[{}] top-up method {} ({}) offered", cfg.id, d.found.factory->top_up_method,
                       cfg.driver);
          top_up_contexts.push_back(std::move(context));
          top_up_plugins.push_back(std::move(method));
          continue;
        }
      }
    }
    spdlog::error("[{}] top-up method not offered: {}", cfg.id, error);
  }
  SharingService service(io, *ledger, control, config_.gateway.address, &*offchain);
  service.set_top_up_methods(std::move(top_ups));
  // A card tapped at a pile starts the session of its booking.
  for (auto& p : piles) {
    p->set_token_listener([&service](const std::string& pile, std::string_view token) {
      auto opened = service.present_token(pile, std::string(token));
      if (auto* e = std::get_if<ServiceError>(&opened)) {
        spdlog::debug("[{}] a presented card opened nothing: {}", pile, e->message);
        return hal::IdTokenDecision::kInvalid;
      }
      return hal::IdTokenDecision::kAccepted;
    });
  }
  api_context.service = &service;
  api_context.auth = api::make_member_auth(service);
  auto owner = std::make_shared<OwnerCredentials>(config_.gateway.data_dir);
  api_context.owner = owner;
  api_context.demo = std::filesystem::exists(config_.gateway.data_dir / "demo-keys");
  // Set by the wizard's new pile: the gateway stops, and main() starts it again.
  bool restart = false;
  std::function<void()> stop_all;
  api_context.add_pile = [&](const config::SetupPile& pile, const std::string& location,
                             const std::string& address) -> std::string {
    if (restart) return "the gateway is restarting already; add the next pile in a moment";
    std::string text;
    try {
      text = config::setup_text_with(read_text((config_.gateway.data_dir / "setup.toml")), pile,
                                     location, address);
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    // Checked as the next start will check it, before anything is written.
    auto loaded = config::load_string(text, (config_.gateway.data_dir / "setup.toml").string(),
                                      config_.gateway.data_dir);
    if (!loaded.config) return loaded.errors.front().to_string();
    config::Config only_new = *loaded.config;
    only_new.piles = {loaded.config->piles.back()};
    config::Config candidate = config_;
    if (auto errors = config::merge_setup(candidate, only_new); !errors.empty())
      return errors.front().to_string();
    std::vector<std::string> errors;
    const auto resolved = resolve_devices(candidate, plugins_, errors);
    if (!errors.empty()) return errors.front();
    for (const auto& d : resolved)
      if (d.config->id == pile.id && !d.unavailable.empty()) return d.unavailable;
    if (std::string problem = write_text((config_.gateway.data_dir / "setup.toml"), text);
        !problem.empty())
      return problem;
    spdlog::info("setup: pile \"{}\" ({}) added to {}; restarting to connect it", pile.id,
                 pile.driver, (config_.gateway.data_dir / "setup.toml").string());
    restart = true;
    // After this answer has gone out.
    boost::asio::post(io, [&] { stop_all(); });
    return "";
  };
  api_context.set_current_limit = [&piles](std::string_view id, hal::ConnectorId connector,
                                           std::int32_t milliamps) {
    for (auto& p : piles)
      if (p->id() == id) return p->set_current_limit(connector, milliamps);
    return hal::Status::unavailable("pile " + std::string(id) + " has no working driver");
  };
  web::Router router;
  api::register_routes(router, api_context);
  web::ServerOptions options;
  options.bind = config_.web.bind;
  options.port = config_.web.port;
  options.max_header_bytes = config_.web.max_header_bytes;
  options.max_body_bytes = config_.web.max_body_bytes;
  options.request_timeout = config_.web.request_timeout;
  options.max_connections = config_.web.max_connections;
  // HTTPS on every listener that is not loopback (tls_certificate.hpp).
  const auto& web = config_.web;
  if (web.tls_certificate.empty() != web.tls_private_key.empty()) {
    spdlog::error("{}: web.tls_certificate and web.tls_private_key: set both or neither",
                  config_.source);
    return kExitConfigError;
  }
  if (!web.tls_certificate.empty()) {
    options.tls_certificate_file = web.tls_certificate.string();
    options.tls_private_key_file = web.tls_private_key.string();
    spdlog::info("HTTPS with the certificate {} (SHA-256 {})", options.tls_certificate_file,
                 certificate_fingerprint(web.tls_certificate));
  } else if (!is_loopback_bind(web.bind)) {
    TlsFiles tls;
    if (std::string problem = ensure_self_signed_certificate(config_.gateway.data_dir / "tls",
                                                             boost::asio::ip::host_name(), tls);
        !problem.empty()) {
      spdlog::error("cannot make the HTTPS certificate: {}", problem);
      return kExitRuntimeError;
    }
    options.tls_certificate_file = tls.certificate.string();
    options.tls_private_key_file = tls.private_key.string();
    spdlog::info(
        "HTTPS with the gateway's own certificate {} (SHA-256 {}); browsers ask once "
        "whether to trust it: compare this fingerprint",
        tls.certificate.string(), tls.fingerprint);
  }
  options.event_audience = [&api_context](const web::Request& request) {
    return api::event_audience(api_context, request);
  };
  options.on_handler_error = [](std::string_view what) {
    spdlog::error("HTTP handler failed: {}", what);
  };
  web::HttpServer server(io, options, router, std::string(api::kEventsPath), [&api_context] {
    return std::pair{std::string("snapshot"), api::status_json(api_context)};
  });
  api_context.http_metrics = [&server] { return &server.metrics(); };
  if (std::string problem = server.start(); !problem.empty()) {
    spdlog::error("{}", problem);
    return kExitRuntimeError;
  }

  // Live events: coalesce bursts of changes into one event per device every 200 ms, so a
  // driver reporting many small changes costs the phone one update, not dozens.
  std::set<std::pair<DeviceKind, std::string>> dirty;
  boost::asio::steady_timer flush_timer(io);
  bool flush_pending = false;
  state.set_listener([&](DeviceKind kind, const std::string& id) {
    if (kind == DeviceKind::kPile) {
      if (const PileState* p = state.find_pile(id)) {
        // Sessions: meter values for the hash chain, and a pile offered to neighbours is kept
        // off unless an authorized session runs on it.
        if (auto wh = control.energy_wh(id)) service.on_energy(id, *wh, ledger->now_ms());
        const bool enabled = std::any_of(p->status.begin(), p->status.end(),
                                         [](const auto& s) { return s.second.enabled; });
        if (enabled && !service.may_charge(id)) control.set_enabled(id, false);
      }
    }
    dirty.emplace(kind, id);
    if (flush_pending) return;
    flush_pending = true;
    flush_timer.expires_after(std::chrono::milliseconds(200));
    flush_timer.async_wait([&](const boost::system::error_code& ec) {
      flush_pending = false;
      if (ec) return;
      for (const auto& [k, device] : dirty) {
        if (k == DeviceKind::kPile) {
          if (const auto* p = state.find_pile(device)) {
            server.events().publish("pile", api::pile_json(*p));
            service.update_pile_status(*p);  // the announcement goes to peers with the mesh
          }
        } else if (const auto* m = state.find_meter(device)) {
          server.events().publish("meter", api::meter_json(*m));
        }
      }
      dirty.clear();
    });
  });

  for (auto* s : supervisors) s->start();
  ledger->set_block_listener([&](ledger::Height height) {
    server.events().publish("ledger", api::ledger_status_json(*ledger));
    // A pile registered in this block gets its first status now.
    for (const auto& pile : config_.piles)
      if (const auto* p = state.find_pile(pile.id)) service.update_pile_status(*p);
    // Each service event only to the members it names, and to admins.
    for (const auto& event : service.on_block(height)) {
      std::set<std::string, std::less<>> members;
      for (const auto& m : event.value("members", nlohmann::json::array()))
        if (m.is_string()) members.insert(m.get<std::string>());
      server.events().publish_to("service", event.dump(), [&](std::string_view audience) {
        return audience == api::kAdminAudience || members.count(audience) != 0;
      });
    }
  });
  ledger->start();
  std::vector<std::string> pile_ids;
  for (const auto& p : config_.piles) pile_ids.push_back(p.id);
  ledger->register_own_piles(pile_ids, config_.gateway.location, config_.gateway.address);

  boost::asio::steady_timer watchdog(io);
  const auto watchdog_every = watchdog_interval() / 2;
  std::function<void()> ping = [&] {
    notify_watchdog();
    watchdog.expires_after(watchdog_every);
    watchdog.async_wait([&](const boost::system::error_code& ec) {
      if (!ec) ping();
    });
  };

  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  stop_all = [&] {
    if (restart)
      notify_reloading();
    else
      notify_stopping();
    for (auto* s : supervisors) s->stop();
    if (ocpp) ocpp->stop();
    ledger->stop();
    server.stop();
    watchdog.cancel();
    flush_timer.cancel();
    signals.cancel();
    io.stop();
  };
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("received {}, stopping", signal == SIGINT ? "SIGINT" : "SIGTERM");
    stop_all();
  });

  spdlog::info("web UI and API at {}://{}:{}/",
               options.tls_certificate_file.empty() ? "http" : "https",
               config_.web.bind.find(':') == std::string::npos ? config_.web.bind
                                                               : "[" + config_.web.bind + "]",
               server.port());
  if (!owner->has_password()) {
    spdlog::info(
        "first-run setup: open the web UI at #/setup and enter the setup code {} (also "
        "in {})",
        owner->setup_code(), (config_.gateway.data_dir / "setup-code").string());
  }
  notify_ready("serving on port " + std::to_string(server.port()));
  if (watchdog_every.count() > 0) ping();
  io.run();

  piles.clear();
  meters.clear();
  try {
    store->record_clean_shutdown(utc_timestamp(std::chrono::system_clock::now()));
  } catch (const store::StoreError& e) {
    spdlog::error("could not record the clean shutdown: {}", e.what());
  }
  spdlog::info("stopped cleanly");
  return restart ? kExitRestart : kExitOk;
}

}  // namespace pilemesh::gateway

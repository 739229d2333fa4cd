#include <fmt/format.h>

#include "pilemesh/api/api.hpp"
#include "pilemesh/gateway/ledger_service.hpp"
#include "pilemesh/gateway/system.hpp"

namespace pilemesh::api {
namespace {

// Writes one metric family: HELP and TYPE lines, then its samples.
class Family {
 public:
  Family(std::string& out, std::string_view name, std::string_view type, std::string_view help)
      : out_(out), name_(name) {
    fmt::format_to(std::back_inserter(out_), "# HELP {} {}\n# TYPE {} {}\n", name, help, name,
                   type);
  }
  template <class T>
  Family& sample(T value, std::string_view labels = {}) {
    if (labels.empty())
      fmt::format_to(std::back_inserter(out_), "{} {}\n", name_, value);
    else
      fmt::format_to(std::back_inserter(out_), "{}{{{}}} {}\n", name_, labels, value);
    return *this;
  }

 private:
  std::string& out_;
  std::string_view name_;
};

// Device ids are restricted to [a-z0-9_-] by the configuration, so they need no escaping.
std::string device_label(std::string_view id) {
  return fmt::format("device=\"{}\"", id);
}

}  // namespace

std::string metrics_text(const ApiContext& context) {
  std::string out;
  out.reserve(4096);
  const gateway::ProcessUsage usage = gateway::process_usage();
  const auto uptime =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - context.started);
  Family(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.")
      .sample(usage.resident_bytes);
  Family(out, "process_cpu_seconds_total", "counter", "User and system CPU time in seconds.")
      .sample(usage.cpu_seconds);
  Family(out, "process_open_fds", "gauge", "Open file descriptors.").sample(usage.open_fds);
  Family(out, "pilemesh_uptime_seconds", "gauge", "Seconds since the gateway started.")
      .sample(uptime.count());
  Family(out, "pilemesh_build_info", "gauge", "Always 1; the version is a label.")
      .sample(1, fmt::format("version=\"{}\"", context.version));

  const auto& piles = context.state->piles();
  Family online(out, "pilemesh_pile_online", "gauge", "1 when the pile's driver is connected.");
  for (const auto& p : piles) online.sample(p.health.online ? 1 : 0, device_label(p.id));
  Family attempts(out, "pilemesh_pile_reconnect_attempts", "gauge",
                  "Failed connection attempts since the pile was last online.");
  for (const auto& p : piles) attempts.sample(p.health.reconnect_attempts, device_label(p.id));
  Family power(out, "pilemesh_connector_power_watts", "gauge", "Power delivered by a connector.");
  for (const auto& p : piles)
    for (const auto& [id, s] : p.status)
      power.sample(s.power_w, fmt::format("{},connector=\"{}\"", device_label(p.id), id));
  Family energy(out, "pilemesh_connector_energy_wh_total", "counter",
                "A connector's energy register in watt-hours.");
  for (const auto& p : piles)
    for (const auto& [id, s] : p.status)
      if (s.energy_known)  // a counter has no value before the register is read
        energy.sample(s.energy_wh, fmt::format("{},connector=\"{}\"", device_label(p.id), id));

  const auto& meters = context.state->meters();
  Family meter_online(out, "pilemesh_meter_online", "gauge",
                      "1 when the meter's driver is connected.");
  for (const auto& m : meters) meter_online.sample(m.health.online ? 1 : 0, device_label(m.id));
  Family meter_power(out, "pilemesh_meter_power_watts", "gauge",
                     "Meter active power; positive when importing.");
  for (const auto& m : meters)
    if (m.reading) meter_power.sample(m.reading->power_w, device_label(m.id));
  Family meter_import(out, "pilemesh_meter_energy_import_wh_total", "counter",
                      "Meter imported energy in watt-hours.");
  for (const auto& m : meters)
    if (m.reading) meter_import.sample(m.reading->energy_import_wh, device_label(m.id));

  if (context.ledger != nullptr) {
    auto& node = context.ledger->node();
    Family(out, "pilemesh_ledger_height", "gauge", "Height of the last committed block.")
        .sample(node.store().blocks().height());
    Family(out, "pilemesh_ledger_mempool_txs", "gauge", "Transactions waiting for a block.")
        .sample(node.mempool().size());
    Family(out, "pilemesh_ledger_blocks_made_total", "counter",
           "Blocks this gateway committed since it started.")
        .sample(context.ledger->blocks_made());
  }
  if (const web::HttpMetrics* http = context.http_metrics ? context.http_metrics() : nullptr) {
    Family(out, "pilemesh_http_requests_total", "counter",
           "HTTP requests answered, by status class.")
        .sample(http->responses_2xx, "code=\"2xx\"")
        .sample(http->responses_3xx, "code=\"3xx\"")
        .sample(http->responses_4xx, "code=\"4xx\"")
        .sample(http->responses_5xx, "code=\"5xx\"");
    Family(out, "pilemesh_http_bad_requests_total", "counter",
           "Malformed HTTP requests rejected before routing.")
        .sample(http->bad_requests);
    Family(out, "pilemesh_http_connections_open", "gauge", "Open HTTP connections.")
        .sample(http->connections_open);
    Family(out, "pilemesh_http_connections_rejected_total", "counter",
           "Connections refused because the connection limit was reached.")
        .sample(http->connections_rejected);
    Family(out, "pilemesh_http_event_subscribers", "gauge", "Clients of the live event stream.")
        .sample(http->event_subscribers);
    Family(out, "pilemesh_http_request_seconds_sum", "counter", "Time spent in request handlers.")
        .sample(http->request_seconds_sum);
  }
  return out;
}

}  // namespace pilemesh::api

#include <nlohmann/json.hpp>

#include "pilemesh/api/api.hpp"

namespace pilemesh::api {
namespace {

using nlohmann::json;

json health_fields(json j, const gateway::DeviceHealth& health) {
  j["online"] = health.online;
  j["error"] = health.error;
  j["reconnect_attempts"] = health.reconnect_attempts;
  return j;
}

json pile_object(const gateway::PileState& pile) {
  json j{{"id", pile.id}, {"name", pile.name}, {"driver", pile.driver}};
  j = health_fields(std::move(j), pile.health);
  json connectors = json::array();
  for (const auto& info : pile.connectors) {
    json c{{"id", info.id},
           {"type", hal::to_string(info.type)},
           {"max_phases", info.max_phases},
           {"max_current_ma", info.max_current_ma},
           {"max_power_w", info.max_power_w}};
    if (auto it = pile.status.find(info.id); it != pile.status.end()) {
      const hal::ConnectorStatus& s = it->second;
      c["state"] = hal::to_string(s.state);
      c["power_w"] = s.power_w;
      c["energy_wh"] = s.energy_known ? json(s.energy_wh) : json(nullptr);
      c["current_ma"] = s.current_ma;
      c["voltage_mv"] = s.voltage_mv;
      c["active_phases"] = s.active_phases;
      c["current_limit_ma"] = s.current_limit_ma;
      c["enabled"] = s.enabled;
      c["authorized"] = !s.authorized_id_token.empty();  // the token itself stays private
      c["fault"] = s.fault;
    } else {
      c["state"] = hal::to_string(hal::ConnectorState::kUnavailable);
    }
    connectors.push_back(std::move(c));
  }
  j["connectors"] = std::move(connectors);
  return j;
}

json meter_object(const gateway::MeterState& meter) {
  json j{{"id", meter.id}, {"name", meter.name}, {"driver", meter.driver}};
  j = health_fields(std::move(j), meter.health);
  if (meter.reading) {
    const hal::MeterReading& r = *meter.reading;
    j["reading"] = {{"power_w", r.power_w},
                    {"energy_import_wh", r.energy_import_wh},
                    {"energy_export_wh", r.energy_export_wh},
                    {"voltage_mv", r.voltage_mv},
                    {"current_ma", r.current_ma}};
  } else {
    j["reading"] = nullptr;
  }
  return j;
}

}  // namespace

std::string pile_json(const gateway::PileState& pile) {
  return pile_object(pile).dump();
}
std::string meter_json(const gateway::MeterState& meter) {
  return meter_object(meter).dump();
}

std::string status_json(const ApiContext& context) {
  const auto uptime = std::chrono::steady_clock::now() - context.started;
  json j{{"name", context.name},
         {"version", context.version},
         {"location", context.location},
         {"uptime_s", std::chrono::duration_cast<std::chrono::seconds>(uptime).count()}};
  json piles = json::array(), meters = json::array();
  for (const auto& pile : context.state->piles()) piles.push_back(pile_object(pile));
  for (const auto& meter : context.state->meters()) meters.push_back(meter_object(meter));
  j["piles"] = std::move(piles);
  j["meters"] = std::move(meters);
  return j.dump();
}

}  // namespace pilemesh::api

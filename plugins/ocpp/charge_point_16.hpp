// An OCPP 1.6J charge point as an SDK Charger: the gateway is its central system.
//
// The charge point connects to the gateway's OCPP endpoint (lent by the gateway, never opened
// here) under its identity. The driver is "connected" while the charge point's WebSocket is open
// and its BootNotification was accepted; until then connect() says what it waits for.
//
// Who may charge is the gateway's decision, never the pile's: an idTag the pile presents
// (Authorize, or a StartTransaction it began on its own) is accepted only when the gateway
// authorized it (authorize(): the idTag derived from the session's token, sent in
// RemoteStartTransaction) or answers on_id_token() with kAccepted (a card with a booking now).
// A transaction started with any other tag is answered Invalid and stopped.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "pilemesh/hal/charger.hpp"
#include "pilemesh/hal/driver_context.hpp"
#include "pilemesh/hal/ocpp_endpoint.hpp"
#include "pilemesh/hal/settings.hpp"
#include "meter_values.hpp"
#include "rpc_session.hpp"

namespace pilemesh::ocpp {

extern const hal::SettingSpec kChargePointSettings[11];

class ChargePoint16 final : public hal::Charger, private hal::OcppConnectionHandler {
 public:
  // Throws std::invalid_argument for settings the endpoint refuses (the message names them).
  explicit ChargePoint16(hal::DriverContext& context);
  ~ChargePoint16() override;

  hal::Status connect(hal::ChargerObserver& observer) noexcept override;
  void disconnect() noexcept override;
  std::vector<hal::ConnectorInfo> connectors() const override;
  hal::Status status(hal::ConnectorId id, hal::ConnectorStatus& out) const noexcept override;
  hal::Status set_current_limit(hal::ConnectorId id, std::int32_t milliamps) noexcept override;
  hal::Status set_phases(hal::ConnectorId id, int phases) noexcept override;
  hal::Status set_enabled(hal::ConnectorId id, bool enabled) noexcept override;
  hal::Status authorize(hal::ConnectorId id, std::string_view id_token) noexcept override;

 private:
  struct Connector {
    hal::ConnectorInfo info;
    hal::ConnectorStatus status;
    std::optional<std::int32_t> transaction;  // the running transaction's id
    std::string transaction_tag;              // the idTag it runs under
    std::string session_tag;  // the idTag the gateway authorized (derived from the token)
    std::chrono::steady_clock::time_point remote_start_sent{};
    // When the gateway accepted a tag the pile presented here: the pile starts on its own.
    std::chrono::steady_clock::time_point local_accept{};
  };

  // hal::OcppConnectionHandler.
  void on_open(hal::OcppConnection& connection) noexcept override;
  void on_frame(std::string_view text) noexcept override;
  void on_close(const hal::Status& why) noexcept override;

  void register_handlers();
  CallAnswer on_boot(const nlohmann::json& p);
  CallAnswer on_status(const nlohmann::json& p);
  CallAnswer on_authorize(const nlohmann::json& p);
  CallAnswer on_start(const nlohmann::json& p);
  CallAnswer on_stop(const nlohmann::json& p);
  CallAnswer on_meter_values(const nlohmann::json& p);

  // Whether `tag` may charge on `connector` now, asking the gateway when it is not the
  // session's tag or one it accepted moments ago.
  hal::IdTokenDecision decide(hal::ConnectorId connector, const std::string& tag);
  void apply(Connector& c, const Readings& r);
  // A reading of the connector's energy register: the first one makes it known, later ones
  // never lower it.
  void learn_register(Connector& c, std::int64_t wh);
  void report(const Connector& c);
  Connector* find(hal::ConnectorId id);
  // The connector a pile's message names (the 1.6 schemas bound no connectorId), or nullptr.
  Connector* find_reported(std::int64_t connector);
  const Connector* find(hal::ConnectorId id) const;
  void remote_stop(Connector& c, const std::string& why);
  // Asks the pile for what the gateway does not know yet: each connector's status (after a
  // reconnect without BootNotification, when `status` is set) and its energy register.
  void ask_for_unknowns(bool status);
  void trigger(const std::string& message, hal::ConnectorId connector);
  std::int32_t next_transaction_id();
  std::string now_text() const;

  hal::DriverContext& context_;
  std::string identity_;
  int heartbeat_s_;
  RpcSession rpc_;
  hal::OcppEndpoint* endpoint_ = nullptr;
  hal::OcppConnection* connection_ = nullptr;
  hal::ChargerObserver* observer_ = nullptr;
  bool booted_ = false;
  std::string vendor_model_;  // from BootNotification, for the log
  std::vector<Connector> connectors_;
  // Tags the gateway accepted at Authorize, by connector (0: the pile did not say), until the
  // transaction starts.
  std::map<std::string, std::chrono::steady_clock::time_point> accepted_tags_;
  std::optional<std::string> profile_refusal_;  // the pile's answer when it refused a profile
  std::int32_t last_transaction_id_ = 0;
  hal::TimerId expiry_timer_ = 0;
  hal::TimerId boot_wait_timer_ = 0;  // after the WebSocket opened, until a BootNotification
  // Checked by answers and posted functions that may come after the driver is gone.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace pilemesh::ocpp

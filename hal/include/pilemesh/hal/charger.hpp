// pilemesh plugin SDK — Charger: one charging pile (EVSE) with one or more connectors.
//
// Units are integers everywhere: power in watts, energy in watt-hours, current in milliamps,
// voltage in millivolts. Connector ids start at 1, as in OCPP.
//
// Lifecycle, driven by the gateway on its event loop:
//   create (factory) → connect(observer) → commands / status ... → disconnect() → destroy.
// connect() may fail with kUnavailable (device unreachable): the gateway shows the pile as
// offline and calls connect() again later with backoff — it never stops the gateway. After a
// successful connect() the driver reports every change of a connector through the observer and
// calls on_connection_lost() when the device goes away; the gateway then disconnect()s and
// reconnects with backoff.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pilemesh/hal/status.hpp"

namespace pilemesh::hal {

using ConnectorId = std::uint32_t;

// The connector state machine, named as in OCPP 1.6 ChargePointStatus.
enum class ConnectorState {
  kAvailable,      // no vehicle plugged in
  kPreparing,      // vehicle plugged in, waiting for authorization or enable
  kCharging,       // energy flowing
  kSuspendedEV,    // allowed to charge, the vehicle does not take energy (full, or paused)
  kSuspendedEVSE,  // the vehicle wants energy, the pile offers none (disabled or limit 0)
  kFinishing,      // session ended, vehicle still plugged in
  kFaulted,        // the pile reports an error; see ConnectorStatus::fault
  kUnavailable,    // taken out of service
};

constexpr std::string_view to_string(ConnectorState s) noexcept {
  switch (s) {
    case ConnectorState::kAvailable:
      return "Available";
    case ConnectorState::kPreparing:
      return "Preparing";
    case ConnectorState::kCharging:
      return "Charging";
    case ConnectorState::kSuspendedEV:
      return "SuspendedEV";
    case ConnectorState::kSuspendedEVSE:
      return "SuspendedEVSE";
    case ConnectorState::kFinishing:
      return "Finishing";
    case ConnectorState::kFaulted:
      return "Faulted";
    case ConnectorState::kUnavailable:
      return "Unavailable";
  }
  return "Unknown";
}

enum class ConnectorType { kType1, kType2, kCCS1, kCCS2, kCHAdeMO, kGBT, kNACS, kOther };

constexpr std::string_view to_string(ConnectorType t) noexcept {
  switch (t) {
    case ConnectorType::kType1:
      return "Type1";
    case ConnectorType::kType2:
      return "Type2";
    case ConnectorType::kCCS1:
      return "CCS1";
    case ConnectorType::kCCS2:
      return "CCS2";
    case ConnectorType::kCHAdeMO:
      return "CHAdeMO";
    case ConnectorType::kGBT:
      return "GBT";
    case ConnectorType::kNACS:
      return "NACS";
    case ConnectorType::kOther:
      return "Other";
  }
  return "Other";
}

// What a connector can do; fixed while the driver is connected.
struct ConnectorInfo {
  ConnectorId id = 1;
  ConnectorType type = ConnectorType::kType2;
  int max_phases = 3;                   // 1 or 3
  std::int32_t max_current_ma = 16000;  // per phase
  std::int64_t max_power_w = 11000;
};

// A snapshot of one connector: its state and its latest readings.
struct ConnectorStatus {
  ConnectorState state = ConnectorState::kUnavailable;
  std::int64_t power_w = 0;                  // active power delivered now
  std::int64_t energy_wh = 0;                // the pile's energy register; never decreases
  // False while the driver has not read the register yet (an OCPP pile reports it only in a
  // transaction or when asked): energy_wh means nothing then, and no session starts on it.
  bool energy_known = true;
  std::array<std::int32_t, 3> current_ma{};  // per phase (L1, L2, L3)
  std::array<std::int32_t, 3> voltage_mv{};  // per phase
  int active_phases = 0;                     // phases in use now: 0, 1 or 3
  std::int32_t current_limit_ma = 0;         // the limit in force, per phase
  bool enabled = false;                      // the gateway allows charging on this connector
  std::string authorized_id_token;           // empty when nobody is authorized
  std::string fault;                         // why, when state is kFaulted
};

// The gateway's answer to a presented id token (named as OCPP's AuthorizationStatus).
enum class IdTokenDecision {
  kAccepted,  // a session starts for it: let the holder charge
  kInvalid,   // unknown here, or no booking of this pile now
  kBlocked,   // known, but not allowed now (e.g. the session already ran)
};

constexpr std::string_view to_string(IdTokenDecision d) noexcept {
  switch (d) {
    case IdTokenDecision::kAccepted:
      return "Accepted";
    case IdTokenDecision::kInvalid:
      return "Invalid";
    case IdTokenDecision::kBlocked:
      return "Blocked";
  }
  return "Invalid";
}

// Receives what a charger reports. Implemented by the gateway; called by the driver on the
// event loop thread (use DriverContext::post from other threads).
class ChargerObserver {
 public:
  virtual ~ChargerObserver() = default;
  // A connector's state or readings changed. Drivers report at least every state change and a
  // reading at least every few seconds while charging.
  virtual void on_connector_status(ConnectorId id, const ConnectorStatus& status) noexcept = 0;
  // The device went away (cable pulled, pile rebooted). The gateway disconnects and retries.
  virtual void on_connection_lost(const Status& why) noexcept = 0;
  // Someone presented `id_token` at the pile: an RFID card tapped on its reader, or an OCPP
  // Authorize request. The driver does not decide; the gateway answers at once whether the
  // token opens a session here now (a booking of this pile in its slot made with that card), and
  // when it does, starts the session and then enables the connector (set_enabled, authorize).
  // Report each presentation once.
  virtual IdTokenDecision on_id_token(ConnectorId id, std::string_view id_token) noexcept = 0;
};

class Charger {
 public:
  virtual ~Charger() = default;
  Charger() = default;
  Charger(const Charger&) = delete;
  Charger& operator=(const Charger&) = delete;

  // Opens the device and starts reporting to `observer`, which outlives the connection.
  // kUnavailable when the device cannot be reached: the gateway retries with backoff.
  virtual Status connect(ChargerObserver& observer) noexcept = 0;
  // Closes the device and stops all reporting. Called before destruction and after
  // on_connection_lost(); must be safe to call when not connected.
  virtual void disconnect() noexcept = 0;

  // The connectors; REQUIRES: connected.
  virtual std::vector<ConnectorInfo> connectors() const = 0;
  // The latest snapshot of connector `id`; kInvalidArgument for an unknown id.
  virtual Status status(ConnectorId id, ConnectorStatus& out) const noexcept = 0;

  // Sets the per-phase current limit. The pile honours it within a second or returns an
  // error. 0 mA pauses charging (state becomes SuspendedEVSE).
  virtual Status set_current_limit(ConnectorId id, std::int32_t milliamps) noexcept = 0;
  // Switches between 1 and 3 phases; kNotSupported if the pile cannot.
  virtual Status set_phases(ConnectorId id, int phases) noexcept = 0;
  // Allows or forbids charging on the connector (the gateway enables a pile only for an
  // authorized session).
  virtual Status set_enabled(ConnectorId id, bool enabled) noexcept = 0;
  // Authorizes the holder of `id_token` (RFID uid, or a booking's QR token) on the connector.
  // An empty token withdraws the authorization.
  virtual Status authorize(ConnectorId id, std::string_view id_token) noexcept = 0;
};

}  // namespace pilemesh::hal

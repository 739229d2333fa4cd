#include "charge_point_16.hpp"

#include <algorithm>
#include <ctime>
#include <memory>
#include <stdexcept>

#include "id_tag.hpp"
#include "meter_values.hpp"

namespace pilemesh::ocpp {

using nlohmann::json;
using std::chrono::steady_clock;

const hal::SettingSpec kChargePointSettings[11] = {
    hal::SettingSpec::string("identity", "",
                             "The charge point's OCPP identity, the last part of the URL it is "
                             "configured with (default: the device id)"),
    hal::SettingSpec::integer("security_profile", 1, 0, 3,
                              "OCPP security profile: 1 Basic auth; 0 none (loopback only); 2 and "
                              "3 need wss://"),
    hal::SettingSpec::string("password", "",
                             "The Basic auth password of profiles 1 and 2 (8 to 40 characters), "
                             "as set in the charge point (AuthorizationKey)"),
    hal::SettingSpec::integer("connectors", 1, 1, 8, "Connectors of the charge point"),
    hal::SettingSpec::string("connector_type", "Type2", "Plug of the connectors",
                             "Type1|Type2|CCS1|CCS2|CHAdeMO|GBT|NACS|Other"),
    hal::SettingSpec::integer("max_current_a", 16, 6, 80, "Most current per phase, in amperes"),
    hal::SettingSpec::integer("phases", 3, 1, 3, "Phases the pile is wired with: 1 or 3"),
    hal::SettingSpec::integer("heartbeat_interval_s", 300, 10, 86400,
                              "Heartbeat interval given to the charge point at boot, in seconds"),
    hal::SettingSpec::integer("call_timeout_ms", 30000, 1000, 300000,
                              "How long the gateway waits for the charge point's answer"),
    hal::SettingSpec::integer("max_pending_calls", 8, 1, 64,
                              "Calls to the charge point that may wait for an answer at once"),
    hal::SettingSpec::integer("frame_log_entries", 200, 0, 2000,
                              "OCPP frames kept in memory for the owner's view of the pile"),
};

namespace {

hal::ConnectorType connector_type(const std::string& name) {
  using T = hal::ConnectorType;
  for (T t : {T::kType1, T::kType2, T::kCCS1, T::kCCS2, T::kCHAdeMO, T::kGBT, T::kNACS})
    if (name == hal::to_string(t)) return t;
  return T::kOther;
}

std::optional<hal::ConnectorState> state_of(const std::string& s) {
  using S = hal::ConnectorState;
  if (s == "Available") return S::kAvailable;
  // A reservation is the gateway's business (bookings); the connector is free of any car.
  if (s == "Reserved") return S::kAvailable;
  if (s == "Preparing") return S::kPreparing;
  if (s == "Charging") return S::kCharging;
  if (s == "SuspendedEV") return S::kSuspendedEV;
  if (s == "SuspendedEVSE") return S::kSuspendedEVSE;
  if (s == "Finishing") return S::kFinishing;
  if (s == "Faulted") return S::kFaulted;
  if (s == "Unavailable") return S::kUnavailable;
  return std::nullopt;
}

json id_tag_info(hal::IdTokenDecision d) {
  return json{{"status", std::string(hal::to_string(d))}};
}

// How long a tag the gateway accepted at Authorize may start a transaction.
constexpr auto kAcceptedTagLifetime = std::chrono::minutes(5);
// How long after its WebSocket opened a pile that sent no BootNotification counts as one that
// only reconnected.
constexpr auto kBootWait = std::chrono::seconds(10);
// A second RemoteStartTransaction for the same session no sooner than this.
constexpr auto kRemoteStartRepeat = std::chrono::seconds(60);

}  // namespace

ChargePoint16::ChargePoint16(hal::DriverContext& context)
    : context_(context),
      identity_(context.settings().get_string("identity")),
      heartbeat_s_(static_cast<int>(context.settings().get_int("heartbeat_interval_s"))),
      rpc_(context, identity_.empty() ? std::string(context.device_id()) : identity_,
           RpcLimits{std::chrono::milliseconds(context.settings().get_int("call_timeout_ms")),
                     static_cast<std::size_t>(context.settings().get_int("max_pending_calls")),
                     static_cast<std::size_t>(context.settings().get_int("frame_log_entries"))}) {
  const auto& s = context.settings();
  if (identity_.empty()) identity_ = std::string(context.device_id());
  const int phases = static_cast<int>(s.get_int("phases"));
  if (phases != 1 && phases != 3)
    throw std::invalid_argument("settings.phases: 1 or 3, not " + std::to_string(phases));
  const auto count = static_cast<hal::ConnectorId>(s.get_int("connectors"));
  const auto max_a = static_cast<std::int32_t>(s.get_int("max_current_a"));
  for (hal::ConnectorId id = 1; id <= count; ++id) {
    Connector c;
    c.info.id = id;
    c.info.type = connector_type(s.get_string("connector_type"));
    c.info.max_phases = phases;
    c.info.max_current_ma = max_a * 1000;
    c.info.max_power_w = static_cast<std::int64_t>(max_a) * 230 * phases;
    c.status.state = hal::ConnectorState::kUnavailable;
    c.status.current_limit_ma = max_a * 1000;
    c.status.energy_known = false;  // until the pile reports its register
    connectors_.push_back(std::move(c));
  }
  endpoint_ = context.ocpp_endpoint();
  if (endpoint_ == nullptr)
    throw std::invalid_argument(
        "the gateway runs no OCPP endpoint for the charge point to connect to (ocpp.listen is \"off\")");
  hal::OcppSecurity security;
  security.profile = static_cast<int>(s.get_int("security_profile"));
  security.password = s.get_string("password");
  if (auto st = endpoint_->attach(identity_, security, *this); !st.is_ok())
    throw std::invalid_argument(st.message());
  register_handlers();
  context_.logger().info("waiting for charge point " + identity_ + " at " +
                         endpoint_->url_prefix() + identity_);
}

ChargePoint16::~ChargePoint16() {
  *alive_ = false;
  if (expiry_timer_ != 0) context_.cancel_timer(expiry_timer_);
  if (boot_wait_timer_ != 0) context_.cancel_timer(boot_wait_timer_);
  endpoint_->detach(identity_);
}

// --- the SDK side ----------------------------------------------------------------------------

hal::Status ChargePoint16::connect(hal::ChargerObserver& observer) noexcept {
  if (connection_ == nullptr)
    return hal::Status::unavailable("waiting for charge point " + identity_ + " to connect to " +
                                    endpoint_->url_prefix() + identity_);
  if (connection_->version() != hal::OcppVersion::k16)
    return hal::Status::not_supported("charge point " + identity_ + " speaks " +
                                      std::string(hal::to_string(connection_->version())) +
                                      "; this driver speaks ocpp1.6");
  observer_ = &observer;
  expiry_timer_ = context_.start_timer(std::chrono::seconds(1), std::chrono::seconds(1),
                                       [this] { rpc_.expire_calls(); });
  return hal::Status::ok();
}

void ChargePoint16::disconnect() noexcept {
  observer_ = nullptr;
  if (expiry_timer_ != 0) context_.cancel_timer(expiry_timer_);
  expiry_timer_ = 0;
}

std::vector<hal::ConnectorInfo> ChargePoint16::connectors() const {
  std::vector<hal::ConnectorInfo> out;
  for (const auto& c : connectors_) out.push_back(c.info);
  return out;
}

hal::Status ChargePoint16::status(hal::ConnectorId id, hal::ConnectorStatus& out) const noexcept {
  const Connector* c = find(id);
  if (c == nullptr) return hal::Status::invalid_argument("no connector " + std::to_string(id));
  out = c->status;
  return hal::Status::ok();
}

hal::Status ChargePoint16::set_current_limit(hal::ConnectorId id, std::int32_t milliamps) noexcept {
  try {
    Connector* c = find(id);
    if (c == nullptr) return hal::Status::invalid_argument("no connector " + std::to_string(id));
    if (milliamps < 0 || milliamps > c->info.max_current_ma)
      return hal::Status::invalid_argument("a limit of " + std::to_string(milliamps) +
                                           " mA is outside 0.." +
                                           std::to_string(c->info.max_current_ma));
    if (profile_refusal_) return hal::Status::not_supported(*profile_refusal_);
    // The pile's default profile for every transaction on the connector, in amperes with one
    // decimal (the schema's multipleOf 0.1).
    const double amps = static_cast<double>(milliamps / 100) / 10.0;
    json profile = {
        {"chargingProfileId", static_cast<int>(id)},
        {"stackLevel", 0},
        {"chargingProfilePurpose", "TxDefaultProfile"},
        {"chargingProfileKind", "Relative"},
        {"chargingSchedule",
         {{"chargingRateUnit", "A"},
          {"chargingSchedulePeriod", json::array({{{"startPeriod", 0}, {"limit", amps}}})}}}};
    std::weak_ptr<bool> alive = alive_;
    return rpc_.call(
        "SetChargingProfile", {{"connectorId", id}, {"csChargingProfiles", profile}},
        [this, alive, id, milliamps](const CallOutcome& o) {
          if (auto a = alive.lock(); !a || !*a) return;
          const std::string answer = o.result ? o.result->value("status", "") : o.error;
          if (o.result && answer == "Accepted") {
            if (Connector* limited = find(id)) {
              limited->status.current_limit_ma = milliamps;
              report(*limited);
            }
            return;
          }
          // Common in the field: the firmware takes no charging profiles at all. From then on
          // set_current_limit() answers kNotSupported, so the gateway knows no limit holds.
          profile_refusal_ = "charge point " + identity_ + " refused SetChargingProfile (" +
                             answer + ")";
          context_.logger().warn(*profile_refusal_ + "; current limits are not supported");
        });
  } catch (const std::exception& e) {
    return hal::Status::internal(e.what());
  }
}

hal::Status ChargePoint16::set_phases(hal::ConnectorId, int) noexcept {
  return hal::Status::not_supported("OCPP 1.6 has no phase switching");
}

hal::Status ChargePoint16::set_enabled(hal::ConnectorId id, bool enabled) noexcept {
  try {
    Connector* c = find(id);
    if (c == nullptr) return hal::Status::invalid_argument("no connector " + std::to_string(id));
    c->status.enabled = enabled;
    if (!enabled && c->transaction) remote_stop(*c, "the gateway ended the session");
    report(*c);
    return hal::Status::ok();
  } catch (const std::exception& e) {
    return hal::Status::internal(e.what());
  }
}

hal::Status ChargePoint16::authorize(hal::ConnectorId id, std::string_view token) noexcept {
  try {
    Connector* c = find(id);
    if (c == nullptr) return hal::Status::invalid_argument("no connector " + std::to_string(id));
    if (token.empty()) {
      c->session_tag.clear();
      c->status.authorized_id_token.clear();
      report(*c);
      return hal::Status::ok();
    }
    const std::string tag = derive_id_tag(token, 20);
    c->session_tag = tag;
    c->status.authorized_id_token = tag;
    report(*c);
    // The session may be charging already (a card at the pile, or a pile that started on its
    // own and was accepted), or another connector got the RemoteStart of this session.
    const auto now = context_.now();
    // The session of a card the pile itself presented at Authorize: the pile starts its
    // transaction on its own, and a RemoteStart now would be a second start.
    if (c->local_accept != steady_clock::time_point{} &&
        now - c->local_accept < kAcceptedTagLifetime) {
      c->local_accept = {};
      return hal::Status::ok();
    }
    for (const auto& other : connectors_) {
      if (other.transaction) {
        if (other.info.id == id || other.transaction_tag == tag) return hal::Status::ok();
      }
      if (other.session_tag == tag && now - other.remote_start_sent < kRemoteStartRepeat &&
          other.remote_start_sent != steady_clock::time_point{})
        return hal::Status::ok();
    }
    c->remote_start_sent = now;
    std::weak_ptr<bool> alive = alive_;
    return rpc_.call("RemoteStartTransaction", {{"connectorId", id}, {"idTag", tag}},
                     [this, alive, id](const CallOutcome& o) {
                       if (auto a = alive.lock(); !a || !*a) return;
                       const std::string answer =
                           o.result ? o.result->value("status", "") : o.error;
                       if (answer != "Accepted")
                         context_.logger().warn("charge point " + identity_ + " connector " +
                                                std::to_string(id) +
                                                " refused RemoteStartTransaction: " + answer);
                     });
  } catch (const std::exception& e) {
    return hal::Status::internal(e.what());
  }
}

// --- the charge point's side -----------------------------------------------------------------

void ChargePoint16::on_open(hal::OcppConnection& connection) noexcept {
  if (connection.version() != hal::OcppVersion::k16) {
    // Its messages are not 1.6's: none may reach the handlers below.
    context_.logger().warn("charge point " + identity_ + " connected with " +
                           std::string(hal::to_string(connection.version())) +
                           "; this driver speaks ocpp1.6 only, so the connection is closed");
    connection.close("this charge point is configured for ocpp1.6");
    return;
  }
  connection_ = &connection;
  rpc_.open(connection);
  // The WebSocket is authenticated: the pile is online now, whether or not it boots again (a
  // 1.6 pile that only lost the network reconnects without a BootNotification).
  context_.request_connect();
  // A pile that boots sends its statuses itself; one that only reconnected is asked for them.
  if (boot_wait_timer_ != 0) context_.cancel_timer(boot_wait_timer_);
  std::weak_ptr<bool> alive = alive_;
  boot_wait_timer_ = context_.start_timer(kBootWait, std::chrono::milliseconds(0), [this, alive] {
    if (auto a = alive.lock(); !a || !*a) return;
    boot_wait_timer_ = 0;
    if (!booted_ && connection_ != nullptr) ask_for_unknowns(/*status=*/true);
  });
}

void ChargePoint16::on_frame(std::string_view text) noexcept {
  if (connection_ == nullptr) return;  // a frame that was on its way when on_open refused
  try {
    rpc_.on_frame(text);
  } catch (const std::exception& e) {
    context_.logger().error("a frame from " + identity_ + " could not be handled: " + e.what());
  }
}

void ChargePoint16::on_close(const hal::Status& why) noexcept {
  if (connection_ == nullptr) return;  // a connection on_open refused
  connection_ = nullptr;
  booted_ = false;
  try {
    rpc_.closed(why.message());
  } catch (...) {
  }
  for (auto& c : connectors_) c.status.state = hal::ConnectorState::kUnavailable;
  if (observer_ != nullptr) observer_->on_connection_lost(why);
}

void ChargePoint16::register_handlers() {
  rpc_.on_call("BootNotification", [this](const json& p) { return on_boot(p); });
  rpc_.on_call("Heartbeat", [this](const json&) -> CallAnswer {
    return json{{"currentTime", now_text()}};
  });
  rpc_.on_call("StatusNotification", [this](const json& p) { return on_status(p); });
  rpc_.on_call("Authorize", [this](const json& p) { return on_authorize(p); });
  rpc_.on_call("StartTransaction", [this](const json& p) { return on_start(p); });
  rpc_.on_call("StopTransaction", [this](const json& p) { return on_stop(p); });
  rpc_.on_call("MeterValues", [this](const json& p) { return on_meter_values(p); });
  rpc_.on_call("DataTransfer", [this](const json& p) -> CallAnswer {
    context_.logger().info("charge point " + identity_ + " sent DataTransfer from vendor \"" +
                           p.value("vendorId", "") + "\" (message \"" +
                           p.value("messageId", "") + "\"); no vendor extension is known");
    return json{{"status", "UnknownVendorId"}};
  });
  rpc_.on_call("SecurityEventNotification", [this](const json& p) -> CallAnswer {
    context_.logger().warn("charge point " + identity_ + " security event " +
                           p.value("type", "") + " at " + p.value("timestamp", "") +
                           (p.contains("techInfo") ? ": " + p.value("techInfo", "") : ""));
    return json::object();
  });
  for (const char* note : {"FirmwareStatusNotification", "DiagnosticsStatusNotification",
                           "LogStatusNotification", "SignedFirmwareStatusNotification"}) {
    rpc_.on_call(note, [this, note](const json& p) -> CallAnswer {
      context_.logger().info("charge point " + identity_ + " " + note + ": " +
                             p.value("status", ""));
      return json::object();
    });
  }
}

CallAnswer ChargePoint16::on_boot(const json& p) {
  vendor_model_ = p.value("chargePointVendor", "") + " " + p.value("chargePointModel", "");
  booted_ = true;
  std::weak_ptr<bool> alive = alive_;
  context_.post([this, alive] {  // after the answer: a pile acts on calls once it is accepted
    if (auto a = alive.lock(); !a || !*a) return;
    ask_for_unknowns(/*status=*/false);
  });
  context_.logger().info("charge point " + identity_ + " booted: " + vendor_model_ +
                         (p.contains("firmwareVersion")
                              ? ", firmware " + p.value("firmwareVersion", "")
                              : std::string()));
  return json{{"status", "Accepted"}, {"currentTime", now_text()}, {"interval", heartbeat_s_}};
}

CallAnswer ChargePoint16::on_status(const json& p) {
  const auto connector = p["connectorId"].get<std::int64_t>();
  const std::string status = p["status"].get<std::string>();
  const std::string error = p["errorCode"].get<std::string>();
  std::string fault = error == "NoError" ? "" : error;
  if (p.contains("info")) fault += (fault.empty() ? "" : ": ") + p["info"].get<std::string>();
  if (p.contains("vendorErrorCode"))
    fault += " (vendor code " + p["vendorErrorCode"].get<std::string>() + ")";
  if (connector == 0) {
    // The charge point as a whole: its connectors report their own state.
    context_.logger().info("charge point " + identity_ + " is " + status +
                           (fault.empty() ? "" : " (" + fault + ")"));
    return json::object();
  }
  Connector* c = find_reported(connector);
  if (c == nullptr) {
    context_.logger().warn("charge point " + identity_ + " reported connector " +
                           std::to_string(connector) + ", which is not configured (connectors = " +
                           std::to_string(connectors_.size()) + ")");
    return json::object();
  }
  auto state = state_of(status);
  if (!state) return json::object();  // the schema's enum admits only the states above
  c->status.state = *state;
  c->status.fault = *state == hal::ConnectorState::kFaulted ? fault : "";
  if (!fault.empty() && *state != hal::ConnectorState::kFaulted)
    context_.logger().warn("charge point " + identity_ + " connector " +
                           std::to_string(connector) + " reports " + fault + " while " + status);
  if (*state != hal::ConnectorState::kCharging) {
    c->status.power_w = 0;
    c->status.current_ma = {};
    c->status.active_phases = 0;
  }
  report(*c);
  return json::object();
}

hal::IdTokenDecision ChargePoint16::decide(hal::ConnectorId connector, const std::string& tag) {
  for (const auto& c : connectors_)
    if (!c.session_tag.empty() && c.session_tag == tag) return hal::IdTokenDecision::kAccepted;
  const auto now = context_.now();
  if (auto it = accepted_tags_.find(tag);
      it != accepted_tags_.end() && now - it->second < kAcceptedTagLifetime)
    return hal::IdTokenDecision::kAccepted;
  if (observer_ == nullptr) return hal::IdTokenDecision::kInvalid;
  const hal::IdTokenDecision d = observer_->on_id_token(connector, tag);
  if (d == hal::IdTokenDecision::kAccepted) {
    if (accepted_tags_.size() > 64) accepted_tags_.clear();
    accepted_tags_[tag] = now;
    if (Connector* c = find(connector)) c->local_accept = now;
  }
  return d;
}

CallAnswer ChargePoint16::on_authorize(const json& p) {
  const std::string tag = p["idTag"].get<std::string>();
  // Authorize names no connector: the one a car waits at, else the first.
  hal::ConnectorId connector = connectors_.front().info.id;
  for (const auto& c : connectors_)
    if (c.status.state == hal::ConnectorState::kPreparing && !c.transaction) connector = c.info.id;
  const auto d = decide(connector, tag);
  if (d != hal::IdTokenDecision::kAccepted)
    context_.logger().info("charge point " + identity_ + ": an idTag was refused at Authorize (" +
                           std::string(hal::to_string(d)) + ")");
  return json{{"idTagInfo", id_tag_info(d)}};
}

CallAnswer ChargePoint16::on_start(const json& p) {
  const auto connector = p["connectorId"].get<std::int64_t>();
  const std::string tag = p["idTag"].get<std::string>();
  const std::int32_t id = next_transaction_id();
  Connector* c = find_reported(connector);
  hal::IdTokenDecision d = hal::IdTokenDecision::kInvalid;
  if (c == nullptr) {
    context_.logger().warn("charge point " + identity_ + " started a transaction on connector " +
                           std::to_string(connector) + ", which is not configured");
  } else if (c->transaction) {
    d = hal::IdTokenDecision::kBlocked;  // one transaction per connector
    context_.logger().warn("charge point " + identity_ + " started a second transaction on " +
                           "connector " + std::to_string(connector) + "; refused");
  } else if (!c->session_tag.empty()) {
    // A session of the gateway holds this connector: whatever tag the pile starts with (its own
    // fixed one, on a pile set to start at plug-in) the transaction is that session's.
    d = hal::IdTokenDecision::kAccepted;
  } else {
    d = decide(c->info.id, tag);
  }
  if (d == hal::IdTokenDecision::kAccepted) {
    c->local_accept = {};
    c->transaction = id;
    c->transaction_tag = tag;
    learn_register(*c, p["meterStart"].get<std::int64_t>());
    if (c->status.authorized_id_token.empty()) c->status.authorized_id_token = tag;
    accepted_tags_.erase(tag);
    context_.logger().info("charge point " + identity_ + " connector " +
                           std::to_string(connector) + ": transaction " + std::to_string(id) +
                           " started at " + std::to_string(c->status.energy_wh) + " Wh");
    report(*c);
  } else {
    if (c != nullptr) learn_register(*c, p["meterStart"].get<std::int64_t>());
    // A pile that starts on its own (on plug-in, with a fixed tag) is stopped unless a session
    // of the gateway authorized the connector.
    context_.logger().warn("charge point " + identity_ + " connector " +
                           std::to_string(connector) + ": refused a transaction its idTag does " +
                           "not authorize (" + std::string(hal::to_string(d)) +
                           "); asking the pile to stop it");
    std::weak_ptr<bool> alive = alive_;
    // After the answer has gone out, so that the pile knows the transaction's id.
    context_.post([this, alive, id] {
      if (auto a = alive.lock(); !a || !*a) return;
      (void)rpc_.call("RemoteStopTransaction", {{"transactionId", id}}, {});
    });
  }
  return json{{"idTagInfo", id_tag_info(d)}, {"transactionId", id}};
}

CallAnswer ChargePoint16::on_stop(const json& p) {
  const auto id = p["transactionId"].get<std::int64_t>();
  const auto meter_stop = p["meterStop"].get<std::int64_t>();
  for (auto& c : connectors_) {
    if (!c.transaction || *c.transaction != id) continue;
    if (p.contains("transactionData")) apply(c, read_meter_values_16(p["transactionData"]));
    learn_register(c, meter_stop);
    c.transaction.reset();
    c.transaction_tag.clear();
    c.status.power_w = 0;
    c.status.current_ma = {};
    c.status.active_phases = 0;
    context_.logger().info("charge point " + identity_ + " connector " +
                           std::to_string(c.info.id) + ": transaction " + std::to_string(id) +
                           " stopped at " + std::to_string(meter_stop) + " Wh (" +
                           p.value("reason", "Local") + ")");
    report(c);
    return json::object();
  }
  context_.logger().info("charge point " + identity_ + " stopped transaction " +
                         std::to_string(id) + ", which is not running here");
  return json::object();
}

CallAnswer ChargePoint16::on_meter_values(const json& p) {
  const auto connector = p["connectorId"].get<std::int64_t>();
  if (connector == 0) return json::object();  // the main meter of the charge point
  Connector* c = find_reported(connector);
  if (c == nullptr) return json::object();
  apply(*c, read_meter_values_16(p["meterValue"]));
  report(*c);
  return json::object();
}

void ChargePoint16::apply(Connector& c, const Readings& r) {
  for (const auto& problem : r.problems)
    context_.logger().warn("charge point " + identity_ + " meter value skipped: " + problem);
  if (r.energy_wh) learn_register(c, *r.energy_wh);
  if (r.power_w) c.status.power_w = std::max<std::int64_t>(0, *r.power_w);
  int phases = 0;
  for (int i = 0; i < 3; ++i) {
    if (r.current_ma[i]) c.status.current_ma[i] = *r.current_ma[i];
    if (r.voltage_mv[i]) c.status.voltage_mv[i] = *r.voltage_mv[i];
    if (c.status.current_ma[i] > 0) ++phases;
  }
  c.status.active_phases = phases == 0 ? 0 : (phases == 1 ? 1 : 3);
}

void ChargePoint16::learn_register(Connector& c, std::int64_t wh) {
  if (!c.status.energy_known) {
    c.status.energy_wh = wh;
    c.status.energy_known = true;
    return;
  }
  if (wh < c.status.energy_wh)
    context_.logger().warn("charge point " + identity_ + " connector " +
                           std::to_string(c.info.id) + ": the energy register went back from " +
                           std::to_string(c.status.energy_wh) + " to " + std::to_string(wh) +
                           " Wh; kept the higher value");
  c.status.energy_wh = std::max(c.status.energy_wh, wh);
}

void ChargePoint16::ask_for_unknowns(bool status) {
  for (const auto& c : connectors_) {
    if (status) trigger("StatusNotification", c.info.id);
    if (!c.status.energy_known) trigger("MeterValues", c.info.id);
  }
}

void ChargePoint16::trigger(const std::string& message, hal::ConnectorId connector) {
  std::weak_ptr<bool> alive = alive_;
  const auto sent = rpc_.call(
      "TriggerMessage", {{"requestedMessage", message}, {"connectorId", connector}},
      [this, alive, message, connector](const CallOutcome& o) {
        if (auto a = alive.lock(); !a || !*a) return;
        const std::string answer = o.result ? o.result->value("status", "") : o.error;
        if (answer != "Accepted")
          context_.logger().warn("charge point " + identity_ + " will not send " + message +
                                 " for connector " + std::to_string(connector) + " (" + answer +
                                 ")" +
                                 (message == "MeterValues"
                                      ? "; its energy is known from its next transaction"
                                      : ""));
      });
  if (!sent.is_ok())
    context_.logger().warn("cannot ask charge point " + identity_ + " for " + message + ": " +
                           sent.message());
}

void ChargePoint16::report(const Connector& c) {
  if (observer_ != nullptr) observer_->on_connector_status(c.info.id, c.status);
}

ChargePoint16::Connector* ChargePoint16::find(hal::ConnectorId id) {
  for (auto& c : connectors_)
    if (c.info.id == id) return &c;
  return nullptr;
}

ChargePoint16::Connector* ChargePoint16::find_reported(std::int64_t connector) {
  if (connector < 1 || connector > static_cast<std::int64_t>(connectors_.size())) return nullptr;
  return find(static_cast<hal::ConnectorId>(connector));
}

const ChargePoint16::Connector* ChargePoint16::find(hal::ConnectorId id) const {
  for (const auto& c : connectors_)
    if (c.info.id == id) return &c;
  return nullptr;
}

void ChargePoint16::remote_stop(Connector& c, const std::string& why) {
  const std::int32_t id = *c.transaction;
  std::weak_ptr<bool> alive = alive_;
  const auto sent = rpc_.call(
      "RemoteStopTransaction", {{"transactionId", id}}, [this, alive, id](const CallOutcome& o) {
        if (auto a = alive.lock(); !a || !*a) return;
        const std::string answer = o.result ? o.result->value("status", "") : o.error;
        if (answer != "Accepted")
          context_.logger().warn("charge point " + identity_ + " refused to stop transaction " +
                                 std::to_string(id) + ": " + answer);
      });
  if (!sent.is_ok())
    context_.logger().warn("cannot stop transaction " + std::to_string(id) + " (" + why +
                           "): " + sent.message());
}

std::int32_t ChargePoint16::next_transaction_id() {
  // Seconds since 2020 keep ids increasing across restarts of the gateway without a store
  // (until 2088), and never repeat within a run.
  const auto since_2020 = std::chrono::duration_cast<std::chrono::seconds>(
                              context_.wall_now().time_since_epoch())
                              .count() -
                          1577836800;
  last_transaction_id_ =
      std::max<std::int32_t>(last_transaction_id_ + 1, static_cast<std::int32_t>(since_2020));
  return last_transaction_id_;
}

std::string ChargePoint16::now_text() const {
  const auto now = context_.wall_now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch())
                      .count() %
                  1000;
  char text[96];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms));
  return text;
}

}  // namespace pilemesh::ocpp

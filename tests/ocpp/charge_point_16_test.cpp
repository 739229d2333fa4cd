// The OCPP 1.6 driver on a manual clock, its charge point played through an in-memory endpoint:
// what the pile says becomes the SDK's connector status, and the gateway's decisions become the
// pile's calls.
#include "charge_point_16.hpp"

#include <gtest/gtest.h>

#include <memory>

#include "fake_driver_context.hpp"
#include "fake_ocpp_endpoint.hpp"
#include "id_tag.hpp"
#include "recording_observers.hpp"

namespace pilemesh::ocpp {
namespace {

using nlohmann::json;

class ChargePoint16Test : public ::testing::Test {
 protected:
  ChargePoint16Test() {
    context.settings().set_string("identity", "CP001").set_string("password", "demo-password");
    context.set_ocpp_endpoint(&endpoint);
  }

  // The pile connects and boots; the driver connects to its observer.
  void boot() {
    driver = std::make_unique<ChargePoint16>(context);
    endpoint.open(hal::OcppVersion::k16);
    ASSERT_TRUE(driver->connect(observer).is_ok());
    call("BootNotification", {{"chargePointVendor", "V"}, {"chargePointModel", "M"}});
    context.run_posted();
  }

  // A CALL from the pile; returns the driver's answer frame.
  json call(const std::string& action, const json& payload) {
    const std::string id = std::to_string(++next_id);
    endpoint.receive(json::array({2, id, action, payload}).dump());
    for (auto it = endpoint.sent().rbegin(); it != endpoint.sent().rend(); ++it)
      if ((*it)[0] != 2 && (*it)[1] == id) return *it;
    ADD_FAILURE() << "no answer to " << action;
    return json();
  }
  json result(const std::string& action, const json& payload) {
    json answer = call(action, payload);
    EXPECT_EQ(answer[0], 3) << answer.dump();
    return answer.size() > 2 ? answer[2] : json();
  }

  // The driver's CALLs of `action` so far.
  std::vector<json> calls_of(const std::string& action) const {
    std::vector<json> out;
    for (const auto& f : endpoint.sent())
      if (f[0] == 2 && f[2] == action) out.push_back(f);
    return out;
  }
  // The pile answers the driver's CALL.
  void answer(const json& call_frame, const json& payload) {
    endpoint.receive(json::array({3, call_frame[1], payload}).dump());
  }

  json meter(std::int64_t wh, std::optional<std::int64_t> tx = std::nullopt) {
    json p = {{"connectorId", 1},
              {"meterValue",
               {{{"timestamp", "2026-12-06T10:00:00Z"},
                 {"sampledValue", {{{"value", std::to_string(wh)}, {"unit", "Wh"}}}}}}}};
    if (tx) p["transactionId"] = *tx;
    return result("MeterValues", p);
  }

  test::FakeDriverContext context{"drive", kChargePointSettings};
  test::FakeOcppEndpoint endpoint;
  test::RecordingChargerObserver observer{&context};
  std::unique_ptr<ChargePoint16> driver;
  int next_id = 0;
};

TEST_F(ChargePoint16Test, AttachesItsIdentityWithItsPasswordAndWaitsForThePile) {
  driver = std::make_unique<ChargePoint16>(context);
  EXPECT_EQ(endpoint.identity(), "CP001");
  EXPECT_EQ(endpoint.security().profile, 1);
  EXPECT_EQ(endpoint.security().password, "demo-password");
  const auto waiting = driver->connect(observer);
  EXPECT_EQ(waiting.code(), hal::StatusCode::kUnavailable);
  EXPECT_NE(waiting.message().find("ws://192.0.2.1:8887/ocpp/CP001"), std::string::npos);
  driver.reset();
  EXPECT_FALSE(endpoint.attached());
}

TEST_F(ChargePoint16Test, ABootIsAcceptedWithTheGatewaysTimeAndHeartbeat) {
  driver = std::make_unique<ChargePoint16>(context);
  endpoint.open(hal::OcppVersion::k16);
  EXPECT_EQ(context.connect_requests(), 1u);  // the gateway connects the driver now
  ASSERT_TRUE(driver->connect(observer).is_ok());
  const json boot = result("BootNotification", {{"chargePointVendor", "V"}, {"chargePointModel", "M"}});
  EXPECT_EQ(boot["status"], "Accepted");
  EXPECT_EQ(boot["interval"], 300);
  EXPECT_EQ(boot["currentTime"], "2024-06-01T12:00:00.000Z");
  EXPECT_EQ(result("Heartbeat", json::object())["currentTime"], "2024-06-01T12:00:00.000Z");
}

TEST_F(ChargePoint16Test, AnUnknownRegisterIsAskedForAndNeverReadAsZero) {
  boot();
  hal::ConnectorStatus s;
  ASSERT_TRUE(driver->status(1, s).is_ok());
  EXPECT_FALSE(s.energy_known);
  const auto triggers = calls_of("TriggerMessage");
  ASSERT_EQ(triggers.size(), 1u);
  EXPECT_EQ(triggers[0][3], json({{"requestedMessage", "MeterValues"}, {"connectorId", 1}}));
  answer(triggers[0], {{"status", "Accepted"}});
  meter(12000);
  ASSERT_TRUE(driver->status(1, s).is_ok());
  EXPECT_TRUE(s.energy_known);
  EXPECT_EQ(s.energy_wh, 12000);
  // A register never runs backwards: a lower reading is logged and ignored.
  meter(11000);
  ASSERT_TRUE(driver->status(1, s).is_ok());
  EXPECT_EQ(s.energy_wh, 12000);
  EXPECT_TRUE(context.recorded_log().contains("CP001", hal::LogLevel::kWarn));
}

TEST_F(ChargePoint16Test, APileThatReconnectsWithoutBootingIsAskedForItsState) {
  boot();
  endpoint.drop(hal::Status::unavailable("reset"));
  EXPECT_EQ(observer.losses().size(), 1u);
  endpoint.open(hal::OcppVersion::k16);
  EXPECT_TRUE(calls_of("TriggerMessage").empty());
  context.advance(std::chrono::seconds(10));
  const auto triggers = calls_of("TriggerMessage");
  ASSERT_EQ(triggers.size(), 2u);
  EXPECT_EQ(triggers[0][3]["requestedMessage"], "StatusNotification");
  EXPECT_EQ(triggers[1][3]["requestedMessage"], "MeterValues");
}

TEST_F(ChargePoint16Test, StatusNotificationsBecomeConnectorStates) {
  boot();
  result("StatusNotification", {{"connectorId", 1}, {"errorCode", "NoError"}, {"status", "Preparing"}});
  EXPECT_EQ(observer.last()->state, hal::ConnectorState::kPreparing);
  result("StatusNotification", {{"connectorId", 1},
                                {"errorCode", "GroundFailure"},
                                {"status", "Faulted"},
                                {"vendorErrorCode", "E42"}});
  EXPECT_EQ(observer.last()->state, hal::ConnectorState::kFaulted);
  EXPECT_NE(observer.last()->fault.find("GroundFailure"), std::string::npos);
  EXPECT_NE(observer.last()->fault.find("E42"), std::string::npos);
  // A connector the config does not have is logged, not a crash.
  result("StatusNotification", {{"connectorId", 5}, {"errorCode", "NoError"}, {"status", "Available"}});
  EXPECT_TRUE(context.recorded_log().contains("connector 5, which is not configured"));
}

TEST_F(ChargePoint16Test, ASessionStartsRemotelyUnderTheDerivedTagOnly) {
  boot();
  meter(1000);
  ASSERT_TRUE(driver->authorize(1, "qr-token").is_ok());
  const auto starts = calls_of("RemoteStartTransaction");
  ASSERT_EQ(starts.size(), 1u);
  const std::string tag = derive_id_tag("qr-token", 20);
  EXPECT_EQ(starts[0][3], json({{"connectorId", 1}, {"idTag", tag}}));
  // Asking again for the same session does not start it twice.
  ASSERT_TRUE(driver->authorize(1, "qr-token").is_ok());
  EXPECT_EQ(calls_of("RemoteStartTransaction").size(), 1u);
  EXPECT_EQ(result("Authorize", {{"idTag", tag}})["idTagInfo"]["status"], "Accepted");
  const json started = result("StartTransaction", {{"connectorId", 1}, {"idTag", tag},
                                                   {"meterStart", 1000},
                                                   {"timestamp", "2026-12-06T10:00:00Z"}});
  EXPECT_EQ(started["idTagInfo"]["status"], "Accepted");
  meter(1400, started["transactionId"].get<std::int64_t>());
  EXPECT_EQ(observer.last()->energy_wh, 1400);
  EXPECT_EQ(observer.tokens(), std::vector<std::string>{});  // the gateway was not asked
}

TEST_F(ChargePoint16Test, ATransactionNoSessionCoversIsRefusedAndStopped) {
  boot();
  const json refused = result("StartTransaction", {{"connectorId", 1}, {"idTag", "FREEVEND"},
                                                   {"meterStart", 500},
                                                   {"timestamp", "2026-12-06T10:00:00Z"}});
  EXPECT_EQ(refused["idTagInfo"]["status"], "Invalid");
  EXPECT_EQ(observer.tokens(), std::vector<std::string>{"FREEVEND"});  // the gateway decided
  context.run_posted();
  const auto stops = calls_of("RemoteStopTransaction");
  ASSERT_EQ(stops.size(), 1u);
  EXPECT_EQ(stops[0][3]["transactionId"], refused["transactionId"]);
  hal::ConnectorStatus s;
  ASSERT_TRUE(driver->status(1, s).is_ok());
  EXPECT_EQ(s.energy_wh, 500);  // the refused start still told the register
}

TEST_F(ChargePoint16Test, ACardTheGatewayAcceptsStartsWithoutARemoteStart) {
  boot();
  meter(20000);
  observer.token_decision = hal::IdTokenDecision::kAccepted;
  EXPECT_EQ(result("Authorize", {{"idTag", "04A2B3C4D5"}})["idTagInfo"]["status"], "Accepted");
  // The card's session started on the ledger: the gateway authorizes the connector.
  ASSERT_TRUE(driver->authorize(1, "card:04A2B3C4D5").is_ok());
  EXPECT_TRUE(calls_of("RemoteStartTransaction").empty());
  observer.token_decision = hal::IdTokenDecision::kInvalid;
  const json started = result("StartTransaction", {{"connectorId", 1}, {"idTag", "04A2B3C4D5"},
                                                   {"meterStart", 20000},
                                                   {"timestamp", "2026-12-06T10:00:00Z"}});
  EXPECT_EQ(started["idTagInfo"]["status"], "Accepted");
}

TEST_F(ChargePoint16Test, TheCurrentLimitIsAChargingProfileUntilThePileRefusesThem) {
  boot();
  ASSERT_TRUE(driver->set_current_limit(1, 10'060).is_ok());
  auto profiles = calls_of("SetChargingProfile");
  ASSERT_EQ(profiles.size(), 1u);
  EXPECT_EQ(profiles[0][3]["csChargingProfiles"]["chargingSchedule"]["chargingSchedulePeriod"][0]
                     ["limit"],
            10.0);
  answer(profiles[0], {{"status", "Accepted"}});
  EXPECT_EQ(observer.last()->current_limit_ma, 10'060);
  ASSERT_TRUE(driver->set_current_limit(1, 8'000).is_ok());
  answer(calls_of("SetChargingProfile").back(), {{"status", "NotSupported"}});
  EXPECT_EQ(driver->set_current_limit(1, 6'000).code(), hal::StatusCode::kNotSupported);
  EXPECT_EQ(driver->set_current_limit(1, 99'000).code(), hal::StatusCode::kInvalidArgument);
}

TEST_F(ChargePoint16Test, APileThatSpeaksAnotherVersionIsClosedBeforeAnyMessage) {
  driver = std::make_unique<ChargePoint16>(context);
  endpoint.open(hal::OcppVersion::k201);
  EXPECT_EQ(endpoint.connection_close_reason(), "this charge point is configured for ocpp1.6");
  EXPECT_EQ(context.connect_requests(), 0u);
  endpoint.receive(R"([2,"1","StatusNotification",{"timestamp":"2026-12-06T10:00:00Z"}])");
  EXPECT_TRUE(endpoint.sent().empty());
  EXPECT_EQ(driver->connect(observer).code(), hal::StatusCode::kUnavailable);
}

TEST_F(ChargePoint16Test, ATransactionOnAConnectorNotConfiguredIsStoppedToo) {
  boot();
  for (std::int64_t connector : {0LL, 2LL, 4294967297LL}) {
    const json refused = result("StartTransaction", {{"connectorId", connector}, {"idTag", "X"},
                                                     {"meterStart", 10},
                                                     {"timestamp", "2026-12-06T10:00:00Z"}});
    EXPECT_EQ(refused["idTagInfo"]["status"], "Invalid") << connector;
  }
  context.run_posted();
  EXPECT_EQ(calls_of("RemoteStopTransaction").size(), 3u);
  hal::ConnectorStatus s;
  ASSERT_TRUE(driver->status(1, s).is_ok());
  EXPECT_FALSE(s.energy_known);  // no reading of another connector landed on connector 1
}

}  // namespace
}  // namespace pilemesh::ocpp

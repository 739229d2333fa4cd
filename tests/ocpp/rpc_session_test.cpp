// The RPC session on a manual clock, over an in-memory connection that records what goes out
// (the socket itself is the listener's, tested end to end by the integration tests).
#include "rpc_session.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "fake_driver_context.hpp"
#include "fake_ocpp_endpoint.hpp"

namespace pilemesh::ocpp {
namespace {

using nlohmann::json;

class RpcSessionTest : public ::testing::Test {
 protected:
  void SetUp() override { session.open(connection); }
  const json& last() const { return connection.sent.back(); }

  test::FakeDriverContext context;
  test::FakeOcppConnection connection{hal::OcppVersion::k16};
  RpcSession session{context, "CP001", RpcLimits{std::chrono::milliseconds(30000), 2, 3}};
};

TEST_F(RpcSessionTest, AValidCallReachesItsHandlerAndTheAnswerGoesOut) {
  session.on_call("Heartbeat", [](const json& p) -> CallAnswer {
    EXPECT_TRUE(p.empty());
    return json{{"currentTime", "2026-12-06T10:00:00Z"}};
  });
  session.on_frame(R"([2,"h1","Heartbeat",{}])");
  ASSERT_EQ(connection.sent.size(), 1u);
  EXPECT_EQ(last(), json::parse(R"([3,"h1",{"currentTime":"2026-12-06T10:00:00Z"}])"));
}

TEST_F(RpcSessionTest, EachBadCallGetsTheErrorTheSpecificationNames) {
  session.on_call("StatusNotification", [](const json&) -> CallAnswer { return json::object(); });
  session.on_frame(R"([2,"a","Teleport",{}])");
  EXPECT_EQ(last()[2], "NotImplemented");
  session.on_frame(R"([2,"b","StatusNotification",{"connectorId":"1","errorCode":"NoError","status":"Available"}])");
  EXPECT_EQ(last()[1], "b");
  EXPECT_EQ(last()[2], "TypeConstraintViolation");
  session.on_frame(R"([2,"c","StatusNotification",{"connectorId":1,"errorCode":"NoError"}])");
  EXPECT_EQ(last()[2], "OccurenceConstraintViolation");  // 1.6's spelling
  session.on_frame(R"([2,"d","Authorize",{"idTag":"x"}])");  // a schema, but no handler
  EXPECT_EQ(last()[2], "NotSupported");
  session.on_frame(R"([2,"e","Heartbeat",[]])");
  EXPECT_EQ(last()[2], "FormationViolation");
  const std::size_t before = connection.sent.size();
  session.on_frame("garbage");  // nothing to answer to
  EXPECT_EQ(connection.sent.size(), before);
  EXPECT_TRUE(context.recorded_log().contains("CP001 sent a bad frame", hal::LogLevel::kWarn));
}

TEST_F(RpcSessionTest, ABadResultOrErrorIsNotAnsweredAndNoIdTagIsLogged) {
  session.on_frame(R"([3,"7","x"])");
  session.on_frame(R"([4,"8",5,"x"])");
  EXPECT_TRUE(connection.sent.empty());
  session.on_frame(R"([2,"9","Authorize",{"idTag":"04A1B2C3"},{}])");
  EXPECT_EQ(last()[2], "FormationViolation");
  EXPECT_FALSE(context.recorded_log().contains("04A1B2C3"));
}

TEST_F(RpcSessionTest, AWrongTypeTheValidatorThrowsOnIsATypeViolation) {
  session.on_call("StatusNotification", [](const json&) -> CallAnswer { return json::object(); });
  session.on_frame(R"([2,"t","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Available","timestamp":{"a":1}}])");
  ASSERT_FALSE(connection.sent.empty());
  EXPECT_EQ(last()[1], "t");
  EXPECT_EQ(last()[0], 4);
}

TEST_F(RpcSessionTest, AnAnswerThatWouldBreakItsSchemaNeverGoesOut) {
  session.on_call("Heartbeat", [](const json&) -> CallAnswer { return json{{"time", 1}}; });
  session.on_frame(R"([2,"h","Heartbeat",{}])");
  EXPECT_EQ(last()[2], "InternalError");
  session.on_call("Heartbeat", [](const json&) -> CallAnswer { throw std::runtime_error("boom"); });
  session.on_frame(R"([2,"i","Heartbeat",{}])");
  EXPECT_EQ(last()[1], "i");
  EXPECT_EQ(last()[2], "InternalError");
}

TEST_F(RpcSessionTest, TheGatewaysCallsHearTheirResultOnce) {
  std::vector<CallOutcome> outcomes;
  auto record = [&](const CallOutcome& o) { outcomes.push_back(o); };
  ASSERT_TRUE(session.call("RemoteStopTransaction", {{"transactionId", 7}}, record).is_ok());
  const std::string id = last()[1];
  EXPECT_EQ(last()[2], "RemoteStopTransaction");
  session.on_frame(R"([3,")" + id + R"(",{"status":"Accepted"}])");
  session.on_frame(R"([3,")" + id + R"(",{"status":"Accepted"}])");  // a repeat is ignored
  ASSERT_EQ(outcomes.size(), 1u);
  ASSERT_TRUE(outcomes[0].result);
  EXPECT_EQ((*outcomes[0].result)["status"], "Accepted");
}

TEST_F(RpcSessionTest, AResultThatBreaksItsSchemaFailsThatCallOnly) {
  std::vector<CallOutcome> outcomes;
  ASSERT_TRUE(session
                  .call("RemoteStopTransaction", {{"transactionId", 7}},
                        [&](const CallOutcome& o) { outcomes.push_back(o); })
                  .is_ok());
  session.on_frame(R"([3,")" + std::string(last()[1]) + R"(",{"status":"Maybe"}])");
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_FALSE(outcomes[0].result);
  EXPECT_NE(outcomes[0].error.find("PropertyConstraintViolation"), std::string::npos)
      << outcomes[0].error;
  EXPECT_EQ(session.pending_calls(), 0u);
}

TEST_F(RpcSessionTest, PendingCallsAreBoundedAndExpire) {
  std::vector<CallOutcome> outcomes;
  auto record = [&](const CallOutcome& o) { outcomes.push_back(o); };
  ASSERT_TRUE(session.call("RemoteStopTransaction", {{"transactionId", 1}}, record).is_ok());
  ASSERT_TRUE(session.call("RemoteStopTransaction", {{"transactionId", 2}}, record).is_ok());
  EXPECT_EQ(session.call("RemoteStopTransaction", {{"transactionId", 3}}, record).code(),
            hal::StatusCode::kFailedPrecondition);
  context.advance(std::chrono::seconds(29));
  session.expire_calls();
  EXPECT_TRUE(outcomes.empty());
  context.advance(std::chrono::seconds(1));
  session.expire_calls();
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_NE(outcomes[0].error.find("no answer within 30 s"), std::string::npos);
}

TEST_F(RpcSessionTest, ACallThatWouldBreakItsSchemaIsNotSent) {
  const std::size_t before = connection.sent.size();
  EXPECT_EQ(session.call("RemoteStopTransaction", {{"transactionId", "7"}}, {}).code(),
            hal::StatusCode::kInternal);
  EXPECT_EQ(session.call("RequestStartTransaction", json::object(), {}).code(),
            hal::StatusCode::kNotSupported);  // a 2.0.1 action on a 1.6 connection
  EXPECT_EQ(connection.sent.size(), before);
}

TEST_F(RpcSessionTest, ClosingFailsWhatWaitsAndRefusesNewCalls) {
  std::vector<CallOutcome> outcomes;
  ASSERT_TRUE(session
                  .call("RemoteStopTransaction", {{"transactionId", 1}},
                        [&](const CallOutcome& o) { outcomes.push_back(o); })
                  .is_ok());
  session.closed("reset by peer");
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_NE(outcomes[0].error.find("reset by peer"), std::string::npos);
  EXPECT_EQ(session.call("RemoteStopTransaction", {{"transactionId", 1}}, {}).code(),
            hal::StatusCode::kUnavailable);
}

TEST_F(RpcSessionTest, TheFrameLogKeepsTheLatestFrames) {
  for (int i = 0; i < 5; ++i) session.on_frame("[2,\"" + std::to_string(i) + "\",\"Teleport\",{}]");
  ASSERT_EQ(session.frame_log().size(), 3u);
  EXPECT_FALSE(session.frame_log().back().incoming);  // the last answer
}

TEST(RpcSession201, SpeaksTheErrorCodesOf201) {
  test::FakeDriverContext context;
  test::FakeOcppConnection connection{hal::OcppVersion::k201};
  RpcSession session{context, "CP2", RpcLimits{}};
  session.open(connection);
  session.on_frame(R"([2,"x","Heartbeat",[]])");
  EXPECT_EQ(connection.sent.back()[2], "FormatViolation");
  session.on_frame(R"([2,"y","StatusNotification",{"connectorId":1}])");
  EXPECT_EQ(connection.sent.back()[2], "OccurrenceConstraintViolation");
}

}  // namespace
}  // namespace pilemesh::ocpp

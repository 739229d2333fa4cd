#include "rpc_frame.hpp"

#include <gtest/gtest.h>

namespace pilemesh::ocpp {
namespace {

FrameProblem problem_of(std::string_view text, bool v16 = true) {
  auto parsed = parse_frame(text, v16);
  EXPECT_TRUE(std::holds_alternative<FrameProblem>(parsed)) << text;
  return std::holds_alternative<FrameProblem>(parsed) ? std::get<FrameProblem>(parsed)
                                                       : FrameProblem{};
}

TEST(RpcFrame, ReadsTheThreeMessageTypes) {
  auto call = parse_frame(R"([2,"19223201","BootNotification",{"chargePointVendor":"V"}])", true);
  const auto& c = std::get<Call>(std::get<Frame>(call));
  EXPECT_EQ(c.id, "19223201");
  EXPECT_EQ(c.action, "BootNotification");
  EXPECT_EQ(c.payload["chargePointVendor"], "V");

  auto result = parse_frame(R"([3,"19223201",{"status":"Accepted"}])", true);
  EXPECT_EQ(std::get<CallResult>(std::get<Frame>(result)).payload["status"], "Accepted");

  auto error = parse_frame(R"([4,"7","NotSupported","no",{"a":1}])", true);
  const auto& e = std::get<CallError>(std::get<Frame>(error));
  EXPECT_EQ(e.code, "NotSupported");
  EXPECT_EQ(e.description, "no");
  EXPECT_EQ(e.details["a"], 1);
  // The details are optional on the way in.
  EXPECT_TRUE(std::holds_alternative<Frame>(parse_frame(R"([4,"7","GenericError",""])", true)));
}

TEST(RpcFrame, AFrameWithoutAUsableIdGetsNoAnswer) {
  for (const char* text : {"not json", "{}", "[2]", R"(["2","1","Heartbeat",{}])",
                           R"([2,1,"Heartbeat",{}])", R"([2,"","Heartbeat",{}])",
                           R"([2,"0123456789012345678901234567890123456","Heartbeat",{}])"}) {
    const auto p = problem_of(text);
    EXPECT_EQ(p.id, "") << text;
    EXPECT_EQ(p.code, "FormationViolation") << text;
    EXPECT_FALSE(p.message.empty()) << text;
  }
}

TEST(RpcFrame, ABadCallWithAnIdIsAnsweredUnderItsId) {
  const auto p = problem_of(R"([2,"42","Heartbeat",[]])");
  EXPECT_EQ(p.id, "42");
  EXPECT_TRUE(p.call);
  EXPECT_EQ(p.code, "FormationViolation");
  EXPECT_EQ(problem_of(R"([2,"42",7,{}])").id, "42");
  EXPECT_EQ(problem_of(R"([2,"42","Heartbeat",{},{}])").id, "42");
  // A bad CALLRESULT is not a CALL: the protocol answers no result with an error.
  EXPECT_FALSE(problem_of(R"([3,"42","x"])").call);
}

TEST(RpcFrame, ErrorCodesAreSpelledAsEachVersionSpellsThem) {
  EXPECT_EQ(problem_of("[1,2]", false).code, "FormatViolation");
  EXPECT_EQ(problem_of(R"([5,"9",{}])", false).code, "MessageTypeNotSupported");
  EXPECT_EQ(problem_of(R"([5,"9",{}])", true).code, "");  // 1.6 has no code: ignored
}

TEST(RpcFrame, WritesWhatItReads) {
  const std::string call = write_call({"a1", "Heartbeat", nlohmann::json::object()});
  EXPECT_EQ(call, R"([2,"a1","Heartbeat",{}])");
  EXPECT_EQ(write_result({"a1", {{"currentTime", "2026-12-06T00:00:00Z"}}}),
            R"([3,"a1",{"currentTime":"2026-12-06T00:00:00Z"}])");
  EXPECT_EQ(write_error({"a1", "NotImplemented", "no such action"}),
            R"([4,"a1","NotImplemented","no such action",{}])");
  // Invalid UTF-8 from a pile's description is replaced, never thrown on.
  EXPECT_NO_THROW(write_error({"a1", "GenericError", "bad \xff byte"}));
}

}  // namespace
}  // namespace pilemesh::ocpp

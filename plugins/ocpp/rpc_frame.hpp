// OCPP-J's RPC framing (OCPP-J 1.6 section 4; OCPP 2.0.1 part 4, section 4): every WebSocket
// text frame is a JSON array
//   CALL       [2, "<unique id>", "<action>", {payload}]
//   CALLRESULT [3, "<unique id>", {payload}]
//   CALLERROR  [4, "<unique id>", "<error code>", "<description>", {details}]
// This file only parses and writes that envelope; the payloads are checked against their
// schemas by the caller.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace pilemesh::ocpp {

inline constexpr std::size_t kMaxUniqueIdLength = 36;  // "maximum of 36 characters"

struct Call {
  std::string id;
  std::string action;
  nlohmann::json payload;
};
struct CallResult {
  std::string id;
  nlohmann::json payload;
};
struct CallError {
  std::string id;
  std::string code;
  std::string description;
  nlohmann::json details = nlohmann::json::object();
};

using Frame = std::variant<Call, CallResult, CallError>;

// Why a frame is not a valid RPC message: what to answer (when the frame has a usable id, an
// error with that id; otherwise the protocol asks for none) and a message for the log.
struct FrameProblem {
  std::string id;    // the unique id, when one could be read ("" otherwise)
  bool call = false;  // the frame was a CALL (then a CALLERROR is due)
  std::string code;  // "FormationViolation" (1.6) / "FormatViolation" (2.0.1), "ProtocolError"...
  std::string message;
};

// Parses one text frame. `v16` chooses 1.6's spelling of the error codes.
std::variant<Frame, FrameProblem> parse_frame(std::string_view text, bool v16);

std::string write_call(const Call& call);
std::string write_result(const CallResult& result);
std::string write_error(const CallError& error);

}  // namespace pilemesh::ocpp

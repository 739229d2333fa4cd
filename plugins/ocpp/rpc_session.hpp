// One charge point's OCPP-J session over the connection the gateway lent: frames parsed, every
// incoming CALL and CALLRESULT checked against the official schema of its action, CALLs
// dispatched to the handlers of the driver, answers checked against their schema before they go
// out, and the gateway's own CALLs tracked until their result, error or timeout.
//
// A bad frame or payload is answered with the CALLERROR the specification names and logged with
// the charge point's identity; the session goes on. Bounded: pending outgoing calls.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>

#include "pilemesh/hal/driver_context.hpp"
#include "pilemesh/hal/ocpp_endpoint.hpp"
#include "rpc_frame.hpp"
#include "schema_validator.hpp"

namespace pilemesh::ocpp {

// A handler's refusal of a CALL: the error code and description of the CALLERROR.
struct CallRefusal {
  std::string code;
  std::string description;
};
using CallAnswer = std::variant<nlohmann::json, CallRefusal>;
using CallHandler = std::function<CallAnswer(const nlohmann::json& payload)>;

// The outcome of one of the gateway's CALLs: the pile's (valid) result payload, or why not.
struct CallOutcome {
  std::optional<nlohmann::json> result;  // set on success
  std::string error;                     // "timed out after 30 s", "CALLERROR NotSupported: ..."
};
using ResultHandler = std::function<void(const CallOutcome&)>;

// One line of the frame log: what went which way, when.
struct LoggedFrame {
  std::chrono::system_clock::time_point at;
  bool incoming = false;
  std::string text;
};

struct RpcLimits {
  std::chrono::milliseconds call_timeout{30000};
  std::size_t max_pending_calls = 8;
  std::size_t frame_log_entries = 200;  // kept in memory only
};

class RpcSession {
 public:
  RpcSession(hal::DriverContext& context, std::string identity, RpcLimits limits);

  // The version's schemas are chosen at open().
  void open(hal::OcppConnection& connection);
  // The connection is gone: pending calls fail.
  void closed(const std::string& why);
  bool is_open() const { return connection_ != nullptr; }
  hal::OcppVersion version() const { return version_; }

  // Handles incoming CALLs of `action`. An action with a schema but no handler is answered
  // NotSupported; one without a schema NotImplemented.
  void on_call(std::string action, CallHandler handler);
  // One text frame from the charge point.
  void on_frame(std::string_view text);

  // Sends a CALL; `done` hears the outcome exactly once (later, never from inside call()).
  // kUnavailable when not connected, kFailedPrecondition when too many calls wait.
  hal::Status call(const std::string& action, nlohmann::json payload, ResultHandler done);
  // Fails the calls that waited longer than the timeout (called by the driver's timer).
  void expire_calls();
  std::size_t pending_calls() const { return pending_.size(); }

  const std::deque<LoggedFrame>& frame_log() const { return log_; }

 private:
  struct Pending {
    std::string action;
    std::chrono::steady_clock::time_point sent;
    ResultHandler done;
  };
  void answer_call(const Call& call);
  void send_text(std::string text);
  void send_error(const std::string& id, const std::string& code, const std::string& description);
  void remember(bool incoming, std::string_view text);
  void finish(const std::string& id, CallOutcome outcome);
  bool v16() const { return version_ == hal::OcppVersion::k16; }

  hal::DriverContext& context_;
  std::string identity_;
  RpcLimits limits_;
  hal::OcppConnection* connection_ = nullptr;
  hal::OcppVersion version_ = hal::OcppVersion::k16;
  std::optional<SchemaValidator> schemas_;
  std::map<std::string, CallHandler> handlers_;
  std::map<std::string, Pending> pending_;
  std::uint64_t next_id_ = 1;
  std::deque<LoggedFrame> log_;
};

}  // namespace pilemesh::ocpp

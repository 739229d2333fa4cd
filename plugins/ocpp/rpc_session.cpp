#include "rpc_session.hpp"

namespace pilemesh::ocpp {
namespace {

std::string version_schemas(hal::OcppVersion v) {
  // 2.1 is served with the 2.0.1 message set (docs/ocpp.md).
  return v == hal::OcppVersion::k16 ? "1.6" : "2.0.1";
}

std::string shorten(std::string_view text, std::size_t max = 300) {
  if (text.size() <= max) return std::string(text);
  return std::string(text.substr(0, max)) + "...";
}

}  // namespace

RpcSession::RpcSession(hal::DriverContext& context, std::string identity, RpcLimits limits)
    : context_(context), identity_(std::move(identity)), limits_(limits) {}

void RpcSession::open(hal::OcppConnection& connection) {
  connection_ = &connection;
  version_ = connection.version();
  const std::string schemas = version_schemas(version_);
  if (!schemas_ || schemas_->version() != schemas) schemas_.emplace(schemas);
}

void RpcSession::closed(const std::string& why) {
  connection_ = nullptr;
  auto pending = std::move(pending_);
  pending_.clear();
  for (auto& [id, p] : pending) {
    if (p.done) p.done(CallOutcome{std::nullopt, "the connection closed before an answer (" + why + ")"});
  }
}

void RpcSession::on_call(std::string action, CallHandler handler) {
  handlers_[std::move(action)] = std::move(handler);
}

void RpcSession::remember(bool incoming, std::string_view text) {
  if (limits_.frame_log_entries == 0) return;
  if (log_.size() >= limits_.frame_log_entries) log_.pop_front();
  log_.push_back({context_.wall_now(), incoming, shorten(text, 2000)});
}

void RpcSession::send_text(std::string text) {
  if (connection_ == nullptr) return;
  remember(false, text);
  if (auto s = connection_->send(text); !s.is_ok())
    context_.logger().warn("cannot send to charge point " + identity_ + ": " + s.message());
}

void RpcSession::send_error(const std::string& id, const std::string& code,
                            const std::string& description) {
  send_text(write_error(CallError{id, code, description}));
}

void RpcSession::on_frame(std::string_view text) {
  remember(true, text);
  auto parsed = parse_frame(text, v16());
  if (auto* problem = std::get_if<FrameProblem>(&parsed)) {
    // Only its size: a bad frame may still hold an idTag, which is never logged.
    context_.logger().warn("charge point " + identity_ + " sent a bad frame (" + problem->message +
                           ", " + std::to_string(text.size()) + " bytes)");
    // A CALLERROR answers a CALL (or, in 2.0.1, an unknown message type) and needs its id; a
    // bad CALLRESULT or CALLERROR gets no answer, so that no error ping-pong starts.
    const bool answerable = problem->call || problem->code == "MessageTypeNotSupported";
    if (answerable && !problem->id.empty() && !problem->code.empty())
      send_error(problem->id, problem->code, problem->message);
    return;
  }
  Frame& frame = std::get<Frame>(parsed);
  if (auto* call = std::get_if<Call>(&frame)) {
    answer_call(*call);
  } else if (auto* result = std::get_if<CallResult>(&frame)) {
    auto it = pending_.find(result->id);
    if (it == pending_.end()) {
      context_.logger().warn("charge point " + identity_ + " answered an unknown call " +
                             shorten(result->id, 40));
      return;
    }
    const std::string action = it->second.action;
    if (auto failure = schemas_->check(action, SchemaKind::kResponse, result->payload)) {
      const std::string why = std::string(ocpp_error_code(failure->error, v16())) + " in its " +
                              action + " answer: " + failure->message;
      context_.logger().warn("charge point " + identity_ + ": " + why);
      finish(result->id, CallOutcome{std::nullopt, why});
      return;
    }
    finish(result->id, CallOutcome{std::move(result->payload), ""});
  } else {
    auto& error = std::get<CallError>(frame);
    auto it = pending_.find(error.id);
    if (it == pending_.end()) {
      context_.logger().warn("charge point " + identity_ + " sent an error for an unknown call " +
                             shorten(error.id, 40) + ": " + shorten(error.code, 40));
      return;
    }
    finish(error.id,
           CallOutcome{std::nullopt, "CALLERROR " + shorten(error.code, 40) + ": " +
                                         shorten(error.description, 200)});
  }
}

void RpcSession::answer_call(const Call& call) {
  const std::string& action = call.action;
  if (!schemas_->knows(action, SchemaKind::kRequest)) {
    context_.logger().warn("charge point " + identity_ + " called unknown action \"" +
                           shorten(action, 40) + "\"");
    send_error(call.id, "NotImplemented",
               "OCPP " + schemas_->version() + " has no action \"" + shorten(action, 40) + "\"");
    return;
  }
  if (auto failure = schemas_->check(action, SchemaKind::kRequest, call.payload)) {
    const std::string code(ocpp_error_code(failure->error, v16()));
    context_.logger().warn("charge point " + identity_ + " sent an invalid " + action + " (" +
                           code + "): " + failure->message);
    send_error(call.id, code, failure->message);
    return;
  }
  auto handler = handlers_.find(action);
  if (handler == handlers_.end()) {
    context_.logger().info("charge point " + identity_ + " called " + action +
                           ", which this gateway does not support");
    send_error(call.id, "NotSupported", action + " is not supported by this central system");
    return;
  }
  CallAnswer answer;
  try {
    answer = handler->second(call.payload);
  } catch (const std::exception& e) {
    context_.logger().error("handling " + action + " from " + identity_ + " failed: " + e.what());
    answer = CallRefusal{"InternalError", "the central system failed to handle " + action};
  }
  if (auto* refusal = std::get_if<CallRefusal>(&answer)) {
    send_error(call.id, refusal->code, refusal->description);
    return;
  }
  auto& payload = std::get<nlohmann::json>(answer);
  // An answer that breaks its own schema is the gateway's bug: it never goes out.
  if (auto failure = schemas_->check(action, SchemaKind::kResponse, payload)) {
    context_.logger().error("the answer to " + action + " breaks its schema: " + failure->message);
    send_error(call.id, "InternalError", "the central system could not answer " + action);
    return;
  }
  send_text(write_result(CallResult{call.id, std::move(payload)}));
}

hal::Status RpcSession::call(const std::string& action, nlohmann::json payload,
                             ResultHandler done) {
  if (connection_ == nullptr)
    return hal::Status::unavailable("charge point " + identity_ + " is not connected");
  if (pending_.size() >= limits_.max_pending_calls)
    return hal::Status::failed_precondition(
        "charge point " + identity_ + " has " + std::to_string(pending_.size()) +
        " calls unanswered; " + action + " not sent");
  if (!schemas_->knows(action, SchemaKind::kRequest))
    return hal::Status::not_supported("OCPP " + schemas_->version() + " has no " + action);
  if (auto failure = schemas_->check(action, SchemaKind::kRequest, payload))
    return hal::Status::internal(action + " would break its schema: " + failure->message);
  std::string id = std::to_string(next_id_++);
  pending_[id] = Pending{action, context_.now(), std::move(done)};
  send_text(write_call(Call{id, action, std::move(payload)}));
  return hal::Status::ok();
}

void RpcSession::expire_calls() {
  const auto now = context_.now();
  std::vector<std::string> late;
  for (const auto& [id, p] : pending_)
    if (now - p.sent >= limits_.call_timeout) late.push_back(id);
  for (const auto& id : late) {
    const std::string action = pending_[id].action;
    context_.logger().warn("charge point " + identity_ + " did not answer " + action + " within " +
                           std::to_string(limits_.call_timeout.count() / 1000) + " s");
    finish(id, CallOutcome{std::nullopt, "no answer within " +
                                             std::to_string(limits_.call_timeout.count() / 1000) +
                                             " s"});
  }
}

void RpcSession::finish(const std::string& id, CallOutcome outcome) {
  auto it = pending_.find(id);
  if (it == pending_.end()) return;
  ResultHandler done = std::move(it->second.done);
  pending_.erase(it);
  if (done) done(outcome);
}

}  // namespace pilemesh::ocpp

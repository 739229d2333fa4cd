#include "rpc_frame.hpp"

namespace pilemesh::ocpp {
namespace {

FrameProblem problem(std::string id, bool call, std::string code, std::string message) {
  return FrameProblem{std::move(id), call, std::move(code), std::move(message)};
}

}  // namespace

std::variant<Frame, FrameProblem> parse_frame(std::string_view text, bool v16) {
  const std::string formation = v16 ? "FormationViolation" : "FormatViolation";
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return problem("", false, formation, "not JSON");
  if (!j.is_array() || j.size() < 3)
    return problem("", false, formation, "not an OCPP-J message array [type, id, ...]");
  if (!j[0].is_number_integer())
    return problem("", false, formation, "the message type is not an integer");
  const auto type = j[0].get<std::int64_t>();
  if (!j[1].is_string())
    return problem("", type == 2, formation, "the unique id is not a string");
  std::string id = j[1].get<std::string>();
  if (id.empty() || id.size() > kMaxUniqueIdLength)
    return problem("", type == 2, formation, "the unique id is empty or over 36 characters");
  switch (type) {
    case 2: {
      if (j.size() != 4 || !j[2].is_string())
        return problem(id, true, formation, "a CALL is [2, id, action, payload]");
      if (!j[3].is_object())
        return problem(id, true, formation, "the CALL's payload is not an object");
      return Frame(Call{std::move(id), j[2].get<std::string>(), std::move(j[3])});
    }
    case 3: {
      if (j.size() != 3 || !j[2].is_object())
        return problem(id, false, formation, "a CALLRESULT is [3, id, payload]");
      return Frame(CallResult{std::move(id), std::move(j[2])});
    }
    case 4: {
      if (j.size() < 4 || j.size() > 5 || !j[2].is_string() || !j[3].is_string() ||
          (j.size() == 5 && !j[4].is_object()))
        return problem(id, false, formation,
                       "a CALLERROR is [4, id, code, description, details]");
      CallError e{std::move(id), j[2].get<std::string>(), j[3].get<std::string>()};
      if (j.size() == 5) e.details = std::move(j[4]);
      return Frame(std::move(e));
    }
    default:
      // 2.0.1 names this MessageTypeNotSupported; 1.6 has no such code and ignores it.
      return problem(id, false, v16 ? "" : "MessageTypeNotSupported",
                     "unknown message type " + std::to_string(type));
  }
}

std::string write_call(const Call& call) {
  return nlohmann::json::array({2, call.id, call.action, call.payload}).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string write_result(const CallResult& result) {
  return nlohmann::json::array({3, result.id, result.payload}).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string write_error(const CallError& error) {
  return nlohmann::json::array({4, error.id, error.code, error.description, error.details}).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace pilemesh::ocpp

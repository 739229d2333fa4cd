// The JSON response helpers shared by the server and the API.
#include "pilemesh/web/http.hpp"

#include <nlohmann/json.hpp>

namespace pilemesh::web {

Response json_error(int status, std::string_view code, std::string_view message) {
  nlohmann::json body = {{"error", {{"code", code}, {"message", message}}}};
  // Messages may quote client input; invalid UTF-8 is replaced rather than thrown on.
  return json_response(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Response json_response(int status, std::string body) {
  Response response;
  response.status = status;
  response.content_type = "application/json";
  response.body = std::move(body);
  return response;
}

}  // namespace pilemesh::web

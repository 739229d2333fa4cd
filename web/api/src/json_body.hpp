// Reading a request's JSON body, with the same answers for every endpoint: 415 when it is not
// sent as JSON, 400 when it does not parse.
#pragma once

#include <nlohmann/json.hpp>
#include <variant>

#include "pilemesh/web/http.hpp"

namespace pilemesh::api {

// The parsed body, or the error response to send instead.
inline std::variant<nlohmann::json, web::Response> json_body(const web::Request& request) {
  if (request.content_type.find("application/json") == std::string::npos) {
    return web::json_error(415, "unsupported_media_type", "send the body as application/json");
  }
  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded())
    return web::json_error(400, "invalid_json", "the body is not valid JSON");
  return body;
}

}  // namespace pilemesh::api

// The gateway's HTTP layer: requests, responses and the router the API registers handlers on.
// The transport (Beast, connection limits, timeouts, server-sent events) is in server.hpp.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace pilemesh::web {

struct Request {
  std::string method;                         // "GET", "POST", ...
  std::string path;                           // without the query, percent-decoding not applied
  std::string query;                          // after '?', raw
  std::map<std::string, std::string> params;  // from "{name}" segments, percent-decoded
  std::string body;
  std::string content_type;
  std::string remote_address;
  bool from_loopback = false;
  bool secure = false;  // came over TLS: cookies get the Secure attribute
  std::function<std::string(std::string_view)> header;  // header lookup, "" when absent
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
};

// {"error":{"code":"<code>","message":"<message>"}} — the one error shape of the API.
// `code` is a stable snake_case word clients may switch on; `message` says what to do.
Response json_error(int status, std::string_view code, std::string_view message);
Response json_response(int status, std::string body);

// The parameters of a query string ("a=1&b=x%20y"), percent-decoded, '+' read as a space.
std::map<std::string, std::string> query_params(std::string_view query);

// The value of cookie `name` in a Cookie header ("a=1; pm_session=…"), or "" when absent.
std::string cookie_value(std::string_view header, std::string_view name);

using Handler = std::function<Response(const Request&)>;

// Maps method + path to a handler. Paths are exact ("/api/v1/status") or contain "{name}"
// segments ("/api/v1/piles/{id}/limit") whose values land in Request::params.
// Unknown path → 404 not_found; known path with another method → 405 method_not_allowed.
// HEAD is answered by the GET handler (the server drops the body). When several patterns
// match, the one with the most literal segments wins ("/piles/new" before "/piles/{id}").
class Router {
 public:
  void add(std::string_view method, std::string_view pattern, Handler handler);
  Response dispatch(Request& request) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    Handler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace pilemesh::web

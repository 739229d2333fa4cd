// Feeds arbitrary bytes to the request parser the server uses for every connection, then routes
// what it accepts, so malformed requests can never crash the gateway.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "pilemesh/web/http.hpp"
#include "pilemesh/web/request_parser.hpp"

namespace {

const pilemesh::web::Router& router() {
  static const pilemesh::web::Router instance = [] {
    pilemesh::web::Router r;
    auto ok = [](const pilemesh::web::Request& request) {
      std::string echo = request.method + request.path + request.query + request.body +
                         request.header("Host") + request.content_type;
      for (const auto& [key, value] : request.params) echo += key + value;
      return pilemesh::web::json_error(200, "echo", echo);
    };
    r.add("GET", "/api/v1/status", ok);
    r.add("POST", "/api/v1/piles/{id}/limit", ok);
    r.add("GET", "/{file}", ok);
    return r;
  }();
  return instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // Small limits so the fuzzer reaches them quickly.
  pilemesh::web::ParseLimits limits{512, 1024};
  // Like a keep-alive connection: parse request after request from the same bytes.
  for (int i = 0; i < 8 && !bytes.empty(); ++i) {
    auto parsed = pilemesh::web::parse_request(bytes, limits);
    if (parsed.status != pilemesh::web::ParsedRequest::Status::complete) break;
    router().dispatch(parsed.request);
    if (parsed.consumed == 0 || !parsed.keep_alive) break;
    bytes.remove_prefix(parsed.consumed);
  }
  return 0;
}

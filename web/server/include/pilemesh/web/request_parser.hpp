// Turning the bytes of one HTTP/1.1 request into a Request, with the server's limits. The
// server parses every connection's input this way; it is public so a fuzzer can drive it.
#pragma once

#include <cstddef>
#include <string_view>

#include "pilemesh/web/http.hpp"

namespace pilemesh::web {

struct ParseLimits {
  std::size_t max_header_bytes = 8192;
  std::size_t max_body_bytes = 1 << 20;
};

struct ParsedRequest {
  enum class Status {
    complete,    // `request` holds the request
    incomplete,  // the bytes end before the request does
    rejected,    // malformed or over a limit: send `error` and close the connection
  };
  Status status = Status::incomplete;
  Request request;
  Response error;
  bool keep_alive = false;   // the client allows another request on this connection
  std::size_t consumed = 0;  // bytes that belonged to this request
};

// Parses the request at the start of `bytes`. The header lookup of the result owns its data.
ParsedRequest parse_request(std::string_view bytes, const ParseLimits& limits);

}  // namespace pilemesh::web

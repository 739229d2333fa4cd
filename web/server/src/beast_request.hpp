// The Beast side of request parsing, shared by the connection code (which reads with
// http::async_read) and parse_request (which feeds a buffer), so both apply the same limits and
// turn the same malformed input into the same error response.
#pragma once

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <optional>
#include <string_view>

#include "pilemesh/web/http.hpp"
#include "pilemesh/web/request_parser.hpp"

namespace pilemesh::web::detail {

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;
using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

// Boost 1.74's Beast has its own string_view type.
inline std::string_view std_view(boost::beast::string_view text) {
  return {text.data(), text.size()};
}
bool iequals(std::string_view a, std::string_view b);

void apply_limits(RequestParser& parser, const ParseLimits& limits);

// The response to a request the parser gave up on; `header_done` tells an oversized header
// from an oversized body when the read buffer ran full.
Response parse_error_response(const boost::beast::error_code& ec, bool header_done);

// Checks what the parser accepted and moves it into `out` (everything but the connection's
// address). Returns the error response when the request is refused.
std::optional<Response> to_request(BeastRequest& message, Request& out);

// The path part of a request target ("/a?b" → "/a"), or "" when it is not origin-form.
std::string_view target_path(std::string_view target);

}  // namespace pilemesh::web::detail

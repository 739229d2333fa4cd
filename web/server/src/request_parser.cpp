// Parsing requests with Beast's parser: limits, error mapping and conversion to Request.
#include <boost/asio/buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

#include "beast_request.hpp"

namespace http = boost::beast::http;

namespace pilemesh::web::detail {

bool iequals(std::string_view a, std::string_view b) {
  return boost::beast::iequals(boost::beast::string_view(a.data(), a.size()),
                               boost::beast::string_view(b.data(), b.size()));
}

void apply_limits(RequestParser& parser, const ParseLimits& limits) {
  // Beast counts the header limit as a 32-bit value.
  parser.header_limit(static_cast<std::uint32_t>(
      std::min<std::size_t>(limits.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
  parser.body_limit(limits.max_body_bytes);
  parser.eager(true);
}

Response parse_error_response(const boost::beast::error_code& ec, bool header_done) {
  if (ec == http::error::header_limit || (ec == http::error::buffer_overflow && !header_done)) {
    return json_error(431, "headers_too_large", "The request headers are too large.");
  }
  if (ec == http::error::body_limit || ec == http::error::buffer_overflow) {
    return json_error(413, "body_too_large", "The request body is too large.");
  }
  return json_error(400, "bad_request", "The request is not valid HTTP/1.1.");
}

std::string_view target_path(std::string_view target) {
  // Absolute-form ("http://host/path") is allowed by HTTP/1.1 for requests to proxies.
  for (std::string_view scheme : {"http://", "https://"}) {
    if (iequals(target.substr(0, scheme.size()), scheme)) {
      auto slash = target.find('/', scheme.size());
      target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
      break;
    }
  }
  if (target.empty() || target.front() != '/') return {};
  return target.substr(0, target.find_first_of("?#"));
}

std::optional<Response> to_request(BeastRequest& message, Request& out) {
  if (message.method() == http::verb::unknown) {
    return json_error(501, "not_implemented", "This HTTP method is not supported.");
  }
  std::string_view target = std_view(message.target());
  std::string_view path = target_path(target);
  if (path.empty()) return json_error(400, "bad_request", "The request target must be a path.");
  out.method = std::string(message.method_string());
  out.path = std::string(path);
  auto question = target.find('?');
  out.query.clear();
  if (question != std::string_view::npos) {
    auto query = target.substr(question + 1);
    out.query = std::string(query.substr(0, query.find('#')));
  }
  out.content_type = std::string(message[http::field::content_type]);
  out.body = std::move(message.body());

  // Copied so the lookup stays valid however long the handler keeps the Request.
  auto headers = std::make_shared<std::vector<std::pair<std::string, std::string>>>();
  for (const auto& field : message) {
    headers->emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  out.header = [headers](std::string_view name) {
    std::string value;
    for (const auto& [key, field_value] : *headers) {
      if (!iequals(key, name)) continue;
      // Repeated headers combine into one comma-separated value (RFC 9110, 5.3).
      if (!value.empty()) value += ", ";
      value += field_value;
    }
    return value;
  };
  return std::nullopt;
}

}  // namespace pilemesh::web::detail

namespace pilemesh::web {

ParsedRequest parse_request(std::string_view bytes, const ParseLimits& limits) {
  ParsedRequest result;
  detail::RequestParser parser;
  detail::apply_limits(parser, limits);
  boost::beast::error_code ec;
  while (!parser.is_done()) {
    if (bytes.size() == result.consumed) return result;  // incomplete
    auto rest = bytes.substr(result.consumed);
    std::size_t used = parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
    result.consumed += used;
    if (ec == http::error::need_more) {
      ec = {};
      if (used == 0) return result;  // incomplete
      continue;
    }
    if (ec) {
      result.status = ParsedRequest::Status::rejected;
      result.error = detail::parse_error_response(ec, parser.is_header_done());
      return result;
    }
  }
  auto& message = parser.get();
  result.keep_alive = message.keep_alive();
  if (auto refused = detail::to_request(message, result.request)) {
    result.status = ParsedRequest::Status::rejected;
    result.error = std::move(*refused);
    result.keep_alive = false;
    return result;
  }
  result.status = ParsedRequest::Status::complete;
  return result;
}

}  // namespace pilemesh::web

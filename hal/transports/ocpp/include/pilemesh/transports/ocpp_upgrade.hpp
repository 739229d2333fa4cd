// The checks of a charge point's WebSocket upgrade request, as pure functions of its fields, so
// that they are tested (and fuzzed) without a socket: the path names the identity, the
// subprotocol is one the gateway speaks, the Basic credentials are the identity's.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "pilemesh/hal/ocpp_endpoint.hpp"

namespace pilemesh::transports {

// The path prefix every charge point connects under: /ocpp/<identity>.
inline constexpr std::string_view kOcppPathPrefix = "/ocpp/";

// Whether `identity` is 1..48 characters of [A-Za-z0-9._-] (OCPP 2.0.1 part 4, 3.1.1, with the
// characters that never need percent-encoding in a URL path).
bool valid_identity(std::string_view identity) noexcept;

// The identity named by a request target "/ocpp/CP001" (a query string is ignored); nullopt for
// any other path or an invalid identity.
std::optional<std::string> identity_from_target(std::string_view target);

// The version to speak: the first of the client's comma-separated Sec-WebSocket-Protocol values
// that the gateway supports, in the client's order of preference ("ocpp2.0.1, ocpp1.6").
// nullopt when none is supported.
std::optional<hal::OcppVersion> select_subprotocol(std::string_view header);

// The user and password of an "Authorization: Basic <base64(user:password)>" header; nullopt when
// the header is not well-formed Basic credentials.
struct BasicCredentials {
  std::string user;
  std::string password;
};
std::optional<BasicCredentials> parse_basic_auth(std::string_view header);

// Whether two secrets are equal, in time that depends only on their lengths.
bool same_secret(std::string_view a, std::string_view b) noexcept;

}  // namespace pilemesh::transports

// The OCPP idTag / IdToken the gateway gives a session.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace pilemesh::ocpp {

// The idTag under which a session's token is sent to a pile: the first `max_length` hex
// characters (upper case) of SHA-256("pilemesh/ocpp-id-tag/v1" ‖ token). Always derived, even
// for a token that would fit: the session's access code (which can stop the session) then never
// reaches the pile's logs or its vendor's cloud. Deterministic, so a gateway that restarted
// recognises the tag of a transaction that began before. OCPP's limits: 20 in 1.6 (idTag,
// CiString20), 36 in 2.0.1 (IdToken).
std::string derive_id_tag(std::string_view token, std::size_t max_length);

}  // namespace pilemesh::ocpp

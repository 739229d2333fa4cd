// Fuzzes the checks of a charge point's WebSocket upgrade, whose header values are the first
// bytes an unknown client controls: the input is split at its first two newlines into the
// request target, the Sec-WebSocket-Protocol value and the Authorization value. Never a crash;
// an identity read from a target is always a valid identity.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "pilemesh/transports/ocpp_upgrade.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace pilemesh::transports;
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  auto next = [&rest] {
    const auto nl = rest.find('\n');
    const std::string_view part = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    return part;
  };
  const std::string_view target = next();
  const std::string_view protocols = next();
  const std::string_view authorization = rest;
  if (auto identity = identity_from_target(target); identity && !valid_identity(*identity))
    std::abort();
  (void)select_subprotocol(protocols);
  if (auto c = parse_basic_auth(authorization)) {
    if (c->user.find(':') != std::string::npos) std::abort();
    (void)same_secret(c->password, "demo-password");
  }
  return 0;
}

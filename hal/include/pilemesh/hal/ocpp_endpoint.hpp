// pilemesh plugin SDK — OcppEndpoint: the OCPP-J WebSocket listener the gateway lends drivers.
//
// The gateway is the local central system (CSMS) of the OCPP piles on its LAN. It owns one
// WebSocket listener for all of them, at ws[s]://<gateway>:<ocpp.listen>/ocpp/<identity>: it
// negotiates the subprotocol, enforces the pile's security profile at the upgrade (an unknown
// identity, a wrong password or a missing client certificate never reaches a driver), bounds
// frame sizes and the outgoing queue, and hands each accepted connection to the driver that
// attached the identity. A driver never opens a port of its own.
//
// What crosses this interface is text frames; the OCPP-J framing ([2,id,action,payload] ...),
// the schemas and the messages belong to the driver.
//
// Threading: every call and every callback runs on the gateway's event loop (driver_context.hpp).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "pilemesh/hal/status.hpp"

namespace pilemesh::hal {

// The OCPP version a connection speaks: the WebSocket subprotocol the gateway echoed.
enum class OcppVersion {
  k16,   // "ocpp1.6" (OCPP 1.6J, with the security whitepaper's messages)
  k201,  // "ocpp2.0.1"
  k21,   // "ocpp2.1": served with the 2.0.1 message set where the message is the same
};

constexpr std::string_view to_string(OcppVersion v) noexcept {
  switch (v) {
    case OcppVersion::k16:
      return "ocpp1.6";
    case OcppVersion::k201:
      return "ocpp2.0.1";
    case OcppVersion::k21:
      return "ocpp2.1";
  }
  return "ocpp1.6";
}

// How a charge point proves who it is when it opens its WebSocket (the OCPP security profiles of
// the 1.6 security whitepaper and of 2.0.1 part 2).
struct OcppSecurity {
  // 0: no check beyond the identity (only accepted on a loopback listener, for tests and
  //    simulators on the same box);
  // 1: HTTP Basic auth (user = identity, password below) over ws:// or wss://;
  // 2: wss:// only (TLS 1.2+ with the gateway's certificate) and Basic auth;
  // 3: wss:// with a client certificate signed by the gateway's charge-point CA, whose subject
  //    CN is the identity (no password).
  int profile = 1;
  // Profiles 1 and 2: the password the charge point sends (8..40 characters; OCPP 2.0.1 asks
  // 16..40 of the passwords a central system sets).
  // Compared in constant time; never logged.
  std::string password;
};

// One charge point's open WebSocket, as the gateway accepted it. Owned by the gateway: valid from
// OcppConnectionHandler::on_open until on_close returns.
class OcppConnection {
 public:
  virtual ~OcppConnection() = default;
  virtual OcppVersion version() const noexcept = 0;
  // "192.168.1.30:50122", for log lines.
  virtual std::string_view remote_address() const noexcept = 0;
  // Queues one text frame. kUnavailable once the connection is closing; kFailedPrecondition when
  // the charge point reads too slowly and the queue is full (the frame is dropped). Frames go
  // out in the order they were sent.
  virtual Status send(std::string_view text) noexcept = 0;
  // Closes the WebSocket with a reason for the log; on_close follows.
  virtual void close(std::string_view reason) noexcept = 0;
};

// What a driver hears of its charge point's connections. A charge point that connects again
// replaces its old connection: on_close of the old one comes first.
class OcppConnectionHandler {
 public:
  virtual ~OcppConnectionHandler() = default;
  // The charge point connected and proved its identity.
  virtual void on_open(OcppConnection& connection) noexcept = 0;
  // One complete text frame (at most OcppEndpoint::max_frame_bytes()). Not yet parsed: it may be
  // anything the charge point sent.
  virtual void on_frame(std::string_view text) noexcept = 0;
  // The connection is gone (`why` says how); the OcppConnection is invalid after this returns.
  virtual void on_close(const Status& why) noexcept = 0;
};

class OcppEndpoint {
 public:
  virtual ~OcppEndpoint() = default;

  // Accepts the charge point `identity` (1..48 characters of [A-Za-z0-9._-], as in
  // OCPP 2.0.1's identity rules) with `security`, and hands its connections to `handler` until
  // detach(). kInvalidArgument for a bad identity or a security the listener cannot offer
  // (profile 2 or 3 on a listener without TLS, profile 0 off loopback); kFailedPrecondition when
  // another device attached the same identity. `handler` must outlive the attachment.
  virtual Status attach(std::string_view identity, const OcppSecurity& security,
                        OcppConnectionHandler& handler) noexcept = 0;
  // Closes the identity's connection, if any, without calling on_close (the driver asked), and
  // refuses the identity from now on. Unknown identities are ignored.
  virtual void detach(std::string_view identity) noexcept = 0;

  // The largest text frame accepted; a larger one closes the connection (WebSocket 1009).
  virtual std::size_t max_frame_bytes() const noexcept = 0;
  // The URL a charge point is configured with, for the owner ("ws://192.168.1.5:8887/ocpp/").
  virtual std::string url_prefix() const = 0;
};

}  // namespace pilemesh::hal

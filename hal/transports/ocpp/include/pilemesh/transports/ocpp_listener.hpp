// The gateway's OCPP-J listener: one WebSocket server (Boost.Beast, on the gateway's event loop)
// for every OCPP pile, lent to the drivers as hal::OcppEndpoint.
//
// At the upgrade it checks, before any driver hears of the connection: the path
// (/ocpp/<identity>), an attached identity, the security profile's credentials, and a
// subprotocol it speaks (echoed in the answer, as charge points require). A refusal is answered
// with an HTTP status (401 for an unknown identity or wrong credentials, so that identities
// cannot be probed; 400 for no common subprotocol), logged with the remote address, and a remote
// address that keeps failing is refused without checks for a while. After the upgrade it bounds
// the frame size, the frames per second a charge point may send and the frames queued to it.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "pilemesh/hal/ocpp_endpoint.hpp"

namespace pilemesh::transports {

struct OcppListenerOptions {
  std::string bind = "0.0.0.0";  // an IPv4 or IPv6 address literal
  std::uint16_t port = 8887;      // 0 picks a free port (tests); see OcppListener::port()
  std::size_t max_frame_bytes = 65536;
  std::size_t max_connections = 128;
  // Frames a charge point may send: a bucket of `frame_burst` refilled at `frames_per_second`.
  // A frame over the bucket is dropped (and logged once a second).
  double frames_per_second = 10;
  double frame_burst = 50;
  std::size_t max_queued_frames = 64;  // to one charge point, before send() refuses
  std::chrono::milliseconds handshake_timeout{10000};
  // Failed upgrades from one address before it is refused for `refusal_period`.
  int failures_before_refusal = 5;
  std::chrono::milliseconds refusal_period{60000};
};

// Counters for /metrics and tests. Read on the event loop thread.
struct OcppListenerMetrics {
  std::uint64_t connections_accepted = 0;  // upgraded and handed to a driver
  std::uint64_t upgrades_refused = 0;      // any refusal at the upgrade
  std::uint64_t frames_received = 0;
  std::uint64_t frames_sent = 0;
  std::uint64_t frames_dropped = 0;  // over the rate or the queue
  std::uint64_t connections_open = 0;
};

class OcppListener final : public hal::OcppEndpoint {
 public:
  OcppListener(boost::asio::io_context& io, OcppListenerOptions options);
  ~OcppListener() override;
  OcppListener(const OcppListener&) = delete;
  OcppListener& operator=(const OcppListener&) = delete;

  // Binds and listens; never throws. "" on success, or a message for the user
  // ("cannot listen for OCPP on 0.0.0.0:8887: address already in use").
  std::string start();
  // Stops accepting and closes every connection (each driver hears on_close).
  void stop();
  std::uint16_t port() const;
  const OcppListenerMetrics& metrics() const;

  // hal::OcppEndpoint.
  hal::Status attach(std::string_view identity, const hal::OcppSecurity& security,
                     hal::OcppConnectionHandler& handler) noexcept override;
  void detach(std::string_view identity) noexcept override;
  std::size_t max_frame_bytes() const noexcept override;
  std::string url_prefix() const override;

  struct Impl;  // defined in ocpp_listener.cpp, shared with its connections

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace pilemesh::transports

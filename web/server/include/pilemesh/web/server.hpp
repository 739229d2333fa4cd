// The HTTP/1.1 server (Boost.Beast) on the gateway's event loop, with a server-sent events
// channel for live updates.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "pilemesh/web/http.hpp"

namespace pilemesh::web {

struct ServerOptions {
  std::string bind = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 picks a free port (tests); see HttpServer::port()
  std::size_t max_header_bytes = 8192;
  std::size_t max_body_bytes = 1 << 20;
  std::chrono::milliseconds request_timeout{10000};
  std::size_t max_connections = 256;
  // HTTPS: a PEM certificate (chain) and its private key. Empty: plain HTTP (loopback only;
  // the daemon always sets them for any other address).
  std::string tls_certificate_file;
  std::string tls_private_key_file;
  // Server-sent events: a comment line this often keeps proxies from cutting idle streams, and
  // a subscriber with more than this many bytes not yet written is too slow and is dropped.
  std::chrono::milliseconds event_keepalive{15000};
  std::size_t max_event_backlog_bytes = 256 * 1024;
  // Told when a handler throws (the client gets a generic 500): "GET /api/v1/x: what()".
  // The daemon logs it; the text may hold internals, so it never goes to the client.
  std::function<void(std::string_view)> on_handler_error;
  // Who a new subscriber of the event stream is, from its request (its session cookie): a
  // word EventStream::publish_to() can match; "" for anyone. Unset: everyone is "".
  std::function<std::string(const Request&)> event_audience;
};

// Counters for /metrics. Read on the event loop thread.
struct HttpMetrics {
  std::uint64_t requests_total = 0;
  std::uint64_t responses_2xx = 0, responses_3xx = 0, responses_4xx = 0, responses_5xx = 0;
  std::uint64_t bad_requests = 0;  // malformed HTTP rejected before routing
  std::uint64_t connections_open = 0;
  std::uint64_t connections_rejected = 0;  // over max_connections
  std::uint64_t event_subscribers = 0;
  double request_seconds_sum = 0;  // time spent in handlers
};

// Broadcasts server-sent events to every client of the events path.
class EventStream {
 public:
  virtual ~EventStream() = default;
  // Sends "event: <event>\ndata: <data>\n\n" to every subscriber. `data` is one line of JSON.
  // Call it on the event loop thread.
  virtual void publish(std::string_view event, std::string_view data) = 0;
  // The same, only to the subscribers whose audience (ServerOptions::event_audience) `reaches`
  // accepts.
  virtual void publish_to(std::string_view event, std::string_view data,
                          const std::function<bool(std::string_view audience)>& reaches) = 0;
};

class HttpServer {
 public:
  // `router` must outlive the server. `events_path` (e.g. "/api/v1/events") answers GET with a
  // text/event-stream; `on_subscribe` produces the first event sent to a new subscriber
  // (event name, data) — the current snapshot.
  HttpServer(boost::asio::io_context& io, ServerOptions options, const Router& router,
             std::string events_path,
             std::function<std::pair<std::string, std::string>()> on_subscribe);
  ~HttpServer();

  // Binds and listens. `bind` is an IPv4 or IPv6 address or a host name. Never throws.
  // Returns "" on success or a message for the user
  // ("cannot listen on 127.0.0.1:8080: address already in use").
  std::string start();
  // Stops accepting and closes every connection.
  void stop();

  std::uint16_t port() const;  // the bound port
  EventStream& events();
  const HttpMetrics& metrics() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace pilemesh::web

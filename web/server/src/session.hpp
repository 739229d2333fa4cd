// One client connection: reads requests, answers them through the router, and can turn into a
// server-sent events stream.
#pragma once

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "beast_request.hpp"
#include "server_core.hpp"
#include "stream.hpp"

namespace pilemesh::web::detail {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(std::shared_ptr<ServerCore> core, boost::asio::ip::tcp::socket socket);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start();   // serve requests
  void reject();  // over the connection limit: 503, then close
  void close();   // at once; idempotent

  // Queues bytes for an events subscriber; drops the subscriber when it falls too far behind.
  void send_event(std::shared_ptr<const std::string> chunk);
  // Who this event-stream subscriber is now (ServerOptions::event_audience, asked at each
  // event: a session that ended, or a member whose rights changed, gets what anyone gets).
  std::string audience() const;

 private:
  using BeastResponse = boost::beast::http::response<boost::beast::http::string_body>;

  void handshake();
  std::string local_address();
  void read_request();
  void on_header(const boost::beast::error_code& ec);
  void read_body();
  void on_read_error(const boost::beast::error_code& ec);
  void handle();
  Response route(Request& request);
  void send(Response response, bool keep_alive, bool head);
  void close_gracefully();
  void drain();

  void start_events();
  void watch_events_client();
  void write_next_event();

  std::shared_ptr<ServerCore> core_;
  Stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;
  std::optional<BeastResponse> response_;
  std::string continue_line_;
  std::array<char, 4096> scratch_{};
  std::string remote_address_;
  Request events_request_;  // the subscription's request, for audience()
  bool from_loopback_ = false;
  bool redirect_to_tls_ = false;  // plain HTTP on the TLS port: every answer points to https://
  bool counted_ = false;          // counts towards connections_open
  bool closed_ = false;

  // Server-sent events.
  std::deque<std::shared_ptr<const std::string>> events_;
  std::size_t events_pending_bytes_ = 0;
  bool writing_event_ = false;
};

}  // namespace pilemesh::web::detail

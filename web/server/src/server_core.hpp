// The state the listening socket and all connections share. Connections hold it by shared_ptr,
// so it outlives every handler still queued on the io_context after the server is gone.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <string>
#include <unordered_set>
#include <utility>

#include "pilemesh/web/server.hpp"

namespace pilemesh::web::detail {

class Session;

class ServerCore : public EventStream, public std::enable_shared_from_this<ServerCore> {
 public:
  using Subscribe = std::function<std::pair<std::string, std::string>()>;

  ServerCore(boost::asio::io_context& io, ServerOptions options, const Router& router,
             std::string events_path, Subscribe on_subscribe);

  std::string start();
  void stop();
  std::uint16_t port() const { return port_; }

  void publish(std::string_view event, std::string_view data) override;
  void publish_to(std::string_view event, std::string_view data,
                  const std::function<bool(std::string_view)>& reaches) override;

  // Called by sessions.
  void add_subscriber(Session* session);
  void forget(Session* session);  // the connection is closed

  const ServerOptions options;
  const Router& router;
  const std::string events_path;
  const Subscribe on_subscribe;
  HttpMetrics metrics;
  // Set when the server speaks TLS (ServerOptions::tls_certificate_file), from start().
  std::unique_ptr<boost::asio::ssl::context> tls;

 private:
  void accept();
  void arm_keepalive();
  void broadcast(const std::shared_ptr<const std::string>& chunk,
                 const std::function<bool(std::string_view)>& reaches = {});

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer accept_retry_;
  boost::asio::steady_timer keepalive_;
  std::unordered_set<Session*> sessions_;
  std::unordered_set<Session*> subscribers_;
  std::uint16_t port_ = 0;
  bool running_ = false;
};

// "event: <event>\ndata: <data>\n\n", with a data line per line of `data`.
std::string format_event(std::string_view event, std::string_view data);

}  // namespace pilemesh::web::detail

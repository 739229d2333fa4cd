// The listening socket, the connection limit, event broadcasting, and the public HttpServer.
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <chrono>
#include <vector>

#include "server_core.hpp"
#include "session.hpp"

namespace pilemesh::web::detail {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// Retrying a failed accept (out of file descriptors, say) at once would spin the loop.
constexpr std::chrono::milliseconds kAcceptRetry{100};

std::string endpoint_text(const std::string& host, std::uint16_t port) {
  bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

}  // namespace

std::string format_event(std::string_view event, std::string_view data) {
  std::string out;
  out.reserve(event.size() + data.size() + 16);
  out += "event: ";
  for (char c : event) {
    if (c != '\r' && c != '\n') out += c;
  }
  out += '\n';
  // A line break inside the data would end the field; each line gets its own "data:".
  while (true) {
    auto end = data.find('\n');
    auto line = data.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out += "data: ";
    out += line;
    out += '\n';
    if (end == std::string_view::npos) break;
    data.remove_prefix(end + 1);
  }
  out += '\n';
  return out;
}

ServerCore::ServerCore(asio::io_context& io, ServerOptions server_options, const Router& routes,
                       std::string events, Subscribe subscribe)
    : options(std::move(server_options)),
      router(routes),
      events_path(std::move(events)),
      on_subscribe(std::move(subscribe)),
      io_(io),
      acceptor_(io),
      accept_retry_(io),
      keepalive_(io) {}

std::string ServerCore::start() {
  auto fail = [&](const boost::system::error_code& ec) {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    return "cannot listen on " + endpoint_text(options.bind, options.port) + ": " + ec.message();
  };
  if (running_)
    return "cannot listen on " + endpoint_text(options.bind, options.port) +
           ": the server is already listening";

  if (!options.tls_certificate_file.empty()) {
    // TLS 1.2 and 1.3 only, with OpenSSL's default cipher choice for them.
    auto context = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
    context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                         asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                         asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
    boost::system::error_code tls_ec;
    context->use_certificate_chain_file(options.tls_certificate_file, tls_ec);
    if (tls_ec)
      return "cannot use the TLS certificate " + options.tls_certificate_file + ": " +
             tls_ec.message();
    context->use_private_key_file(options.tls_private_key_file, asio::ssl::context::pem, tls_ec);
    if (tls_ec)
      return "cannot use the TLS private key " + options.tls_private_key_file + ": " +
             tls_ec.message();
    tls = std::move(context);
  }

  boost::system::error_code ec;
  tcp::endpoint endpoint;
  auto address = asio::ip::make_address(options.bind, ec);
  if (!ec) {
    endpoint = tcp::endpoint(address, options.port);
  } else {
    // Not an address literal: a host name such as "localhost".
    tcp::resolver resolver(io_);
    auto results =
        resolver.resolve(options.bind, std::to_string(options.port), tcp::resolver::passive, ec);
    if (ec) return fail(ec);
    if (results.empty()) return fail(asio::error::host_not_found);
    endpoint = results.begin()->endpoint();
  }

  acceptor_.open(endpoint.protocol(), ec);
  if (ec) return fail(ec);
  acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (ec) return fail(ec);
  if (endpoint.address().is_v6() && endpoint.address().is_unspecified()) {
    // "::" should take IPv4 clients too; where the system refuses, IPv6 alone still works.
    acceptor_.set_option(asio::ip::v6_only(false), ec);
  }
  acceptor_.bind(endpoint, ec);
  if (ec) return fail(ec);
  acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail(ec);
  port_ = acceptor_.local_endpoint(ec).port();

  running_ = true;
  accept();
  arm_keepalive();
  return "";
}

void ServerCore::stop() {
  running_ = false;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  accept_retry_.cancel();
  keepalive_.cancel();
  // close() removes the session from the set, so close from a copy.
  std::vector<std::shared_ptr<Session>> open;
  for (Session* session : sessions_) {
    if (auto alive = session->weak_from_this().lock()) open.push_back(std::move(alive));
  }
  for (auto& session : open) session->close();
}

void ServerCore::accept() {
  acceptor_.async_accept(
      [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
        if (!self->running_ || ec == asio::error::operation_aborted) return;
        if (ec) {
          self->accept_retry_.expires_after(kAcceptRetry);
          self->accept_retry_.async_wait([self](boost::system::error_code wait_ec) {
            if (!wait_ec && self->running_) self->accept();
          });
          return;
        }
        auto session = std::make_shared<Session>(self, std::move(socket));
        self->sessions_.insert(session.get());
        if (self->metrics.connections_open >= self->options.max_connections) {
          session->reject();
        } else {
          session->start();
        }
        self->accept();
      });
}

void ServerCore::arm_keepalive() {
  keepalive_.expires_after(options.event_keepalive);
  keepalive_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (ec || !self->running_) return;
    if (!self->subscribers_.empty()) {
      static const auto comment = std::make_shared<const std::string>(": keepalive\n\n");
      self->broadcast(comment);
    }
    self->arm_keepalive();
  });
}

void ServerCore::publish(std::string_view event, std::string_view data) {
  if (subscribers_.empty()) return;
  broadcast(std::make_shared<const std::string>(format_event(event, data)));
}

void ServerCore::publish_to(std::string_view event, std::string_view data,
                            const std::function<bool(std::string_view)>& reaches) {
  if (subscribers_.empty()) return;
  broadcast(std::make_shared<const std::string>(format_event(event, data)), reaches);
}

void ServerCore::broadcast(const std::shared_ptr<const std::string>& chunk,
                           const std::function<bool(std::string_view)>& reaches) {
  // A slow subscriber is closed, and so leaves the set, while we go through it.
  std::vector<std::shared_ptr<Session>> targets;
  targets.reserve(subscribers_.size());
  for (Session* session : subscribers_) {
    if (reaches && !reaches(session->audience())) continue;
    if (auto alive = session->weak_from_this().lock()) targets.push_back(std::move(alive));
  }
  for (auto& session : targets) session->send_event(chunk);
}

void ServerCore::add_subscriber(Session* session) {
  if (subscribers_.insert(session).second) ++metrics.event_subscribers;
}

void ServerCore::forget(Session* session) {
  sessions_.erase(session);
  if (subscribers_.erase(session) != 0) --metrics.event_subscribers;
}

}  // namespace pilemesh::web::detail

namespace pilemesh::web {

struct HttpServer::Impl {
  std::shared_ptr<detail::ServerCore> core;
};

HttpServer::HttpServer(boost::asio::io_context& io, ServerOptions options, const Router& router,
                       std::string events_path,
                       std::function<std::pair<std::string, std::string>()> on_subscribe)
    : impl_(std::make_shared<Impl>(Impl{std::make_shared<detail::ServerCore>(
          io, std::move(options), router, std::move(events_path), std::move(on_subscribe))})) {}

HttpServer::~HttpServer() {
  impl_->core->stop();
}

std::string HttpServer::start() {
  try {
    return impl_->core->start();
  } catch (const std::exception& e) {
    // Allocation failure or similar; start() promises a message rather than an exception.
    return std::string("cannot listen: ") + e.what();
  }
}

void HttpServer::stop() {
  impl_->core->stop();
}

std::uint16_t HttpServer::port() const {
  return impl_->core->port();
}

EventStream& HttpServer::events() {
  return *impl_->core;
}

const HttpMetrics& HttpServer::metrics() const {
  return impl_->core->metrics;
}

}  // namespace pilemesh::web

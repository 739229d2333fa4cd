#include "pilemesh/transports/ocpp_listener.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>
#include <map>

#include "pilemesh/transports/ocpp_upgrade.hpp"

namespace pilemesh::transports {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

std::string endpoint_text(const tcp::endpoint& e) {
  const auto a = e.address();
  return (a.is_v6() ? "[" + a.to_string() + "]" : a.to_string()) + ":" + std::to_string(e.port());
}

std::string_view text_of(beast::string_view s) {
  return {s.data(), s.size()};
}

}  // namespace

class OcppSocket;

struct OcppListener::Impl : std::enable_shared_from_this<Impl> {
  struct Attachment {
    hal::OcppSecurity security;
    hal::OcppConnectionHandler* handler = nullptr;
    std::shared_ptr<OcppSocket> connection;  // the open one, if any
  };
  struct Failures {
    int count = 0;
    Clock::time_point window_start;
    Clock::time_point refused_until;
    std::uint64_t refused_quietly = 0;
  };

  Impl(asio::io_context& context, OcppListenerOptions o)
      : io(context), options(std::move(o)), acceptor(context) {}

  void accept();
  void handshake(tcp::socket socket);
  // The connection of `identity` is up: replaces an older one and tells the driver.
  void opened(const std::shared_ptr<OcppSocket>& connection);
  // A connection ended (closed by either side, or failed): forgets it.
  void closed(OcppSocket* connection);
  // Records a failed upgrade; true when the address is now refused without checks.
  bool refuse_quietly(const std::string& address);
  void note_failure(const std::string& address, const std::string& identity,
                    const std::string& why);

  asio::io_context& io;
  OcppListenerOptions options;
  tcp::acceptor acceptor;
  bool loopback = false;
  bool stopped = false;
  std::map<std::string, Attachment, std::less<>> attachments;
  std::map<std::string, Failures> failures;  // by remote address (without the port)
  std::size_t handshakes = 0;
  OcppListenerMetrics metrics;
};

// One upgraded WebSocket, lent to the driver as hal::OcppConnection.
class OcppSocket final : public hal::OcppConnection,
                         public std::enable_shared_from_this<OcppSocket> {
 public:
  OcppSocket(std::weak_ptr<OcppListener::Impl> listener, websocket::stream<beast::tcp_stream> ws,
             std::string identity, std::string remote, hal::OcppVersion version,
             const OcppListenerOptions& options)
      : listener_(std::move(listener)),
        ws_(std::move(ws)),
        identity_(std::move(identity)),
        remote_(std::move(remote)),
        version_(version),
        options_(options),
        tokens_(options.frame_burst),
        refilled_(Clock::now()) {}

  const std::string& identity() const { return identity_; }
  void set_handler(hal::OcppConnectionHandler* h) { handler_ = h; }

  hal::OcppVersion version() const noexcept override { return version_; }
  std::string_view remote_address() const noexcept override { return remote_; }

  hal::Status send(std::string_view text) noexcept override {
    try {
      if (closing_) return hal::Status::unavailable("the connection to " + identity_ + " is closing");
      if (queue_.size() >= options_.max_queued_frames) {
        if (auto l = listener_.lock()) ++l->metrics.frames_dropped;
        return hal::Status::failed_precondition("charge point " + identity_ +
                                                " reads too slowly: " +
                                                std::to_string(queue_.size()) +
                                                " frames wait for it");
      }
      queue_.emplace_back(text);
      if (!writing_) write_next();
      return hal::Status::ok();
    } catch (const std::exception& e) {
      return hal::Status::internal(std::string("cannot queue a frame: ") + e.what());
    }
  }

  void close(std::string_view reason) noexcept override {
    if (closing_) return;
    closing_ = true;
    try {
      spdlog::info("OCPP: closing the connection of {} ({}): {}", identity_, remote_, reason);
      ws_.async_close(websocket::close_code::normal,
                      [self = shared_from_this()](const beast::error_code&) {
                        self->finish(hal::Status::unavailable("closed by the gateway"));
                      });
    } catch (...) {
      finish(hal::Status::unavailable("closed by the gateway"));
    }
  }

  // Answers the upgrade request with 101 and the decorator's subprotocol.
  template <class Handler>
  void accept_request(const http::request<http::empty_body>& req, Handler&& handler) {
    ws_.async_accept(req, std::forward<Handler>(handler));
  }
  // Starts reading frames.
  void run() {
    counted_ = true;
    read_next();
  }
  // Whether the listener counts it among the open connections (once, until it is closed).
  bool take_count() {
    const bool was = counted_;
    counted_ = false;
    return was;
  }

  // Ends the connection at once without telling the driver (it detached, or the listener stops
  // and tells it itself).
  void drop() noexcept {
    handler_ = nullptr;
    closing_ = true;
    beast::error_code ec;
    beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ec);
    beast::get_lowest_layer(ws_).socket().close(ec);
  }

  // The connection is over: the driver hears it once, the listener forgets it.
  void finish(const hal::Status& why) noexcept {
    if (finished_) return;
    finished_ = true;
    closing_ = true;
    hal::OcppConnectionHandler* h = handler_;
    handler_ = nullptr;
    if (auto l = listener_.lock()) l->closed(this);
    if (h != nullptr) h->on_close(why);
  }

 private:
  void read_next() {
    ws_.async_read(buffer_, [self = shared_from_this()](const beast::error_code& ec,
                                                        std::size_t) { self->on_read(ec); });
  }

  void on_read(const beast::error_code& ec) {
    if (ec) {
      std::string why;
      if (ec == websocket::error::closed)
        why = "the charge point closed the connection";
      else if (ec == websocket::error::message_too_big)
        why = "a frame over " + std::to_string(options_.max_frame_bytes) + " bytes";
      else
        why = ec.message();
      if (!closing_ && ec != websocket::error::closed)
        spdlog::warn("OCPP: connection of {} ({}) ended: {}", identity_, remote_, why);
      else if (!closing_)
        spdlog::info("OCPP: {} ({}) disconnected", identity_, remote_);
      finish(hal::Status::unavailable(why));
      return;
    }
    auto listener = listener_.lock();
    if (listener) ++listener->metrics.frames_received;
    if (!ws_.got_text()) {
      buffer_.consume(buffer_.size());
      spdlog::warn("OCPP: {} ({}) sent a binary frame; OCPP-J is text only", identity_, remote_);
      close("binary frame");
      return;
    }
    if (!take_token()) {
      if (listener) ++listener->metrics.frames_dropped;
      const auto now = Clock::now();
      if (now - last_rate_warning_ > std::chrono::seconds(1)) {
        spdlog::warn("OCPP: {} ({}) sends over {} frames a second; frames dropped", identity_,
                     remote_, options_.frames_per_second);
        last_rate_warning_ = now;
      }
    } else if (handler_ != nullptr) {
      const auto data = buffer_.cdata();
      const std::string_view text(static_cast<const char*>(data.data()), data.size());
      handler_->on_frame(text);
    }
    buffer_.consume(buffer_.size());
    if (!closing_) read_next();
  }

  bool take_token() {
    const auto now = Clock::now();
    const double elapsed = std::chrono::duration<double>(now - refilled_).count();
    refilled_ = now;
    tokens_ = std::min(options_.frame_burst, tokens_ + elapsed * options_.frames_per_second);
    if (tokens_ < 1) return false;
    tokens_ -= 1;
    return true;
  }

  void write_next() {
    writing_ = true;
    ws_.text(true);
    ws_.async_write(asio::buffer(queue_.front()),
                    [self = shared_from_this()](const beast::error_code& ec, std::size_t) {
                      self->writing_ = false;
                      if (ec) {
                        self->queue_.clear();
                        return;  // the read side sees the failure and finishes
                      }
                      if (auto l = self->listener_.lock()) ++l->metrics.frames_sent;
                      self->queue_.pop_front();
                      if (!self->queue_.empty() && !self->closing_) self->write_next();
                    });
  }

  std::weak_ptr<OcppListener::Impl> listener_;
  websocket::stream<beast::tcp_stream> ws_;
  std::string identity_;
  std::string remote_;
  hal::OcppVersion version_;
  const OcppListenerOptions options_;
  hal::OcppConnectionHandler* handler_ = nullptr;
  bool counted_ = false;
  beast::flat_buffer buffer_;
  std::deque<std::string> queue_;
  bool writing_ = false;
  bool closing_ = false;
  bool finished_ = false;
  double tokens_;
  Clock::time_point refilled_;
  Clock::time_point last_rate_warning_{};
};

void OcppListener::Impl::accept() {
  acceptor.async_accept([self = shared_from_this()](const beast::error_code& ec,
                                                    tcp::socket socket) {
    if (self->stopped) return;
    if (!ec) self->handshake(std::move(socket));
    self->accept();
  });
}

bool OcppListener::Impl::refuse_quietly(const std::string& address) {
  auto it = failures.find(address);
  if (it == failures.end()) return false;
  if (Clock::now() < it->second.refused_until) {
    ++it->second.refused_quietly;
    return true;
  }
  return false;
}

void OcppListener::Impl::note_failure(const std::string& address, const std::string& identity,
                                      const std::string& why) {
  ++metrics.upgrades_refused;
  if (failures.size() > 4096) failures.clear();  // bounded; a flood only resets the counts
  Failures& f = failures[address];
  const auto now = Clock::now();
  if (now - f.window_start > options.refusal_period) {
    f.window_start = now;
    f.count = 0;
  }
  ++f.count;
  spdlog::warn("OCPP: refused charge point \"{}\" from {}: {}", identity, address, why);
  if (f.count >= options.failures_before_refusal) {
    f.refused_until = now + options.refusal_period;
    f.count = 0;
    spdlog::warn("OCPP: {} failed {} times; refusing it for {} s without checks", address,
                 options.failures_before_refusal,
                 std::chrono::duration_cast<std::chrono::seconds>(options.refusal_period).count());
  }
}

void OcppListener::Impl::handshake(tcp::socket socket) {
  beast::error_code ec;
  const auto remote_endpoint = socket.remote_endpoint(ec);
  if (ec) return;
  const std::string remote = endpoint_text(remote_endpoint);
  const std::string address = remote_endpoint.address().to_string();
  if (handshakes + metrics.connections_open >= options.max_connections) {
    ++metrics.upgrades_refused;
    spdlog::warn("OCPP: refused a connection from {}: {} connections open", remote,
                 options.max_connections);
    return;  // the socket closes as it goes out of scope
  }
  if (refuse_quietly(address)) return;
  ++handshakes;
  struct Upgrade {
    explicit Upgrade(tcp::socket s) : stream(std::move(s)) {}
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    http::request_parser<http::empty_body> parser;
    http::response<http::string_body> refusal;
  };
  auto up = std::make_shared<Upgrade>(std::move(socket));
  up->parser.header_limit(8192);
  up->parser.body_limit(0);
  up->stream.expires_after(options.handshake_timeout);
  http::async_read(
      up->stream, up->buffer, up->parser,
      [self = shared_from_this(), up, remote, address](const beast::error_code& read_ec,
                                                       std::size_t) {
        --self->handshakes;
        if (self->stopped) return;
        if (read_ec) {
          spdlog::debug("OCPP: no upgrade request from {}: {}", remote, read_ec.message());
          return;
        }
        const auto& req = up->parser.get();
        auto refuse = [&](http::status status, const std::string& identity,
                          const std::string& why) {
          self->note_failure(address, identity, why);
          up->refusal = http::response<http::string_body>(status, req.version());
          up->refusal.set(http::field::server, "pilemesh");
          if (status == http::status::unauthorized)
            up->refusal.set(http::field::www_authenticate, "Basic realm=\"pilemesh OCPP\"");
          up->refusal.body() = why + "\n";
          up->refusal.keep_alive(false);
          up->refusal.prepare_payload();
          ++self->handshakes;
          http::async_write(up->stream, up->refusal,
                            [self, up](const beast::error_code&, std::size_t) {
                              --self->handshakes;
                              beast::error_code ignored;
                              up->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
                            });
        };
        const std::string target(req.target());
        const auto identity = identity_from_target(target);
        if (!identity) {
          refuse(http::status::not_found, target.substr(0, 64),
                 "not an OCPP path; charge points connect to " + std::string(kOcppPathPrefix) +
                     "<identity>");
          return;
        }
        if (!websocket::is_upgrade(req)) {
          refuse(http::status::bad_request, *identity, "not a WebSocket upgrade");
          return;
        }
        auto attached = self->attachments.find(*identity);
        if (attached == self->attachments.end()) {
          refuse(http::status::unauthorized, *identity, "unknown identity");
          return;
        }
        const hal::OcppSecurity& security = attached->second.security;
        if (security.profile == 1 || security.profile == 2) {
          const auto credentials = parse_basic_auth(text_of(req[http::field::authorization]));
          if (!credentials) {
            refuse(http::status::unauthorized, *identity, "no Basic credentials");
            return;
          }
          // Both compared, whatever the first gives, so that timing says nothing.
          const bool user_ok = same_secret(credentials->user, *identity);
          const bool password_ok = same_secret(credentials->password, security.password);
          if (!user_ok || !password_ok) {
            refuse(http::status::unauthorized, *identity, "wrong credentials");
            return;
          }
        }
        const auto version = select_subprotocol(text_of(req[http::field::sec_websocket_protocol]));
        if (!version) {
          refuse(http::status::bad_request, *identity,
                 "no OCPP version in common (offered: \"" +
                     std::string(req[http::field::sec_websocket_protocol]).substr(0, 64) +
                     "\"; this gateway speaks ocpp1.6, ocpp2.0.1, ocpp2.1)");
          return;
        }
        // The upgrade: the WebSocket keeps its own timeouts (idle pings) from here on.
        up->stream.expires_never();
        websocket::stream<beast::tcp_stream> ws(std::move(up->stream));
        ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
        const std::string protocol(hal::to_string(*version));
        ws.set_option(
            websocket::stream_base::decorator([protocol](websocket::response_type& res) {
              res.set(http::field::server, "pilemesh");
              res.set(http::field::sec_websocket_protocol, protocol);
            }));
        ws.read_message_max(self->options.max_frame_bytes);
        auto connection = std::make_shared<OcppSocket>(self, std::move(ws), *identity, remote,
                                                       *version, self->options);
        ++self->handshakes;
        // The request is kept alive by `up` until the accept completes.
        connection->accept_request(req, [self, connection, up](const beast::error_code& accept_ec) {
          --self->handshakes;
          if (self->stopped) return;
          if (accept_ec) {
            spdlog::warn("OCPP: the WebSocket upgrade of {} failed: {}", connection->identity(),
                         accept_ec.message());
            return;
          }
          self->opened(connection);
        });
      });
}

void OcppListener::Impl::opened(const std::shared_ptr<OcppSocket>& connection) {
  auto it = attachments.find(connection->identity());
  if (it == attachments.end()) {  // detached while the upgrade was answered
    connection->drop();
    return;
  }
  Attachment& a = it->second;
  if (a.connection) {
    spdlog::info("OCPP: {} connected again from {}; its older connection is closed",
                 connection->identity(), connection->remote_address());
    auto old = a.connection;
    a.connection.reset();
    old->finish(hal::Status::unavailable("replaced by a new connection"));
    old->drop();
  }
  a.connection = connection;
  ++metrics.connections_accepted;
  ++metrics.connections_open;
  connection->set_handler(a.handler);
  spdlog::info("OCPP: {} connected from {} ({})", connection->identity(),
               connection->remote_address(), hal::to_string(connection->version()));
  connection->run();
  a.handler->on_open(*connection);
}

void OcppListener::Impl::closed(OcppSocket* connection) {
  auto it = attachments.find(connection->identity());
  if (it != attachments.end() && it->second.connection.get() == connection) {
    it->second.connection.reset();
  }
  if (connection->take_count() && metrics.connections_open > 0) --metrics.connections_open;
}

OcppListener::OcppListener(asio::io_context& io, OcppListenerOptions options)
    : impl_(std::make_shared<Impl>(io, std::move(options))) {}

OcppListener::~OcppListener() {
  stop();
}

std::string OcppListener::start() {
  const std::string where = impl_->options.bind + ":" + std::to_string(impl_->options.port);
  beast::error_code ec;
  const auto address = asio::ip::make_address(impl_->options.bind, ec);
  if (ec) return "cannot listen for OCPP on " + where + ": not an IP address";
  impl_->loopback = address.is_loopback();
  const tcp::endpoint endpoint(address, impl_->options.port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    beast::error_code ignored;
    acceptor.close(ignored);
    return "cannot listen for OCPP on " + where + ": " + ec.message();
  }
  impl_->stopped = false;
  impl_->accept();
  return "";
}

void OcppListener::stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  beast::error_code ignored;
  impl_->acceptor.close(ignored);
  for (auto& [identity, a] : impl_->attachments) {
    if (auto c = a.connection) {
      a.connection.reset();
      c->finish(hal::Status::unavailable("the gateway is stopping"));
      c->drop();
    }
  }
}

std::uint16_t OcppListener::port() const {
  beast::error_code ec;
  const auto e = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : e.port();
}

const OcppListenerMetrics& OcppListener::metrics() const {
  return impl_->metrics;
}

hal::Status OcppListener::attach(std::string_view identity, const hal::OcppSecurity& security,
                                 hal::OcppConnectionHandler& handler) noexcept {
  try {
    const std::string id(identity);
    if (!valid_identity(identity))
      return hal::Status::invalid_argument("charge point identity \"" + id.substr(0, 64) +
                                           "\": 1 to 48 characters of A-Z a-z 0-9 . _ -");
    switch (security.profile) {
      case 0:
        if (!impl_->loopback)
          return hal::Status::invalid_argument(
              "security profile 0 (no credentials) is only offered on a loopback listener "
              "(ocpp.listen = \"127.0.0.1:...\"); use profile 1 or higher");
        break;
      case 1:
        // OCPP 2.0.1 asks 16 to 40 for the passwords a CSMS sets; a password typed into a
        // pile's own web page is often shorter, so 8 is the least taken here.
        if (security.password.size() < 8 || security.password.size() > 40)
          return hal::Status::invalid_argument(
              "security profile 1 needs a password of 8 to 40 characters (16 or more "
              "recommended)");
        break;
      case 2:
      case 3:
        return hal::Status::invalid_argument(
            "security profile " + std::to_string(security.profile) +
            " needs wss://, which this gateway's OCPP listener does not offer yet; use profile 1");
      default:
        return hal::Status::invalid_argument("security profile " +
                                             std::to_string(security.profile) +
                                             " does not exist (0 to 3)");
    }
    auto [it, inserted] = impl_->attachments.try_emplace(id);
    if (!inserted)
      return hal::Status::failed_precondition("charge point identity \"" + id +
                                              "\" is another pile's already");
    it->second.security = security;
    it->second.handler = &handler;
    return hal::Status::ok();
  } catch (const std::exception& e) {
    return hal::Status::internal(std::string("cannot attach a charge point: ") + e.what());
  }
}

void OcppListener::detach(std::string_view identity) noexcept {
  auto it = impl_->attachments.find(identity);
  if (it == impl_->attachments.end()) return;
  // The driver asked: it hears no on_close; the listener forgets the connection when its
  // read fails.
  if (auto c = it->second.connection) c->drop();
  impl_->attachments.erase(it);
}

std::size_t OcppListener::max_frame_bytes() const noexcept {
  return impl_->options.max_frame_bytes;
}

std::string OcppListener::url_prefix() const {
  const auto& bind = impl_->options.bind;
  const std::string host = bind.find(':') != std::string::npos ? "[" + bind + "]" : bind;
  return "ws://" + host + ":" + std::to_string(port()) + std::string(kOcppPathPrefix);
}

}  // namespace pilemesh::transports

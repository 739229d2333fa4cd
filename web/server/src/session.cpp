// One client connection. Everything runs on the server's single event loop thread, so no
// locking: a Session is kept alive by the handlers it has queued.
#include "session.hpp"

#include <algorithm>
#include <boost/asio/write.hpp>
#include <boost/beast/core/detect_ssl.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <cctype>
#include <chrono>
#include <exception>

namespace pilemesh::web::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// How long a closing connection may keep sending before it is cut: reading what the client
// still sends lets it see our last response instead of a connection reset.
constexpr std::chrono::milliseconds kLingerLimit{1000};

bool is_loopback(const asio::ip::address& address) {
  if (address.is_v4()) return address.to_v4().is_loopback();
  auto v6 = address.to_v6();
  if (v6.is_v4_mapped()) return asio::ip::make_address_v4(asio::ip::v4_mapped, v6).is_loopback();
  return v6.is_loopback();
}

std::string address_text(const asio::ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).to_string();
  }
  return address.to_string();
}

bool has_line_break(std::string_view text) {
  return text.find_first_of("\r\n") != text.npos;
}

// If-None-Match holds one or more quoted tags, or "*".
bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  if (if_none_match.empty() || etag.empty()) return false;
  if (if_none_match == "*") return true;
  while (!if_none_match.empty()) {
    auto comma = if_none_match.find(',');
    auto tag = if_none_match.substr(0, comma);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    if (tag == etag || (etag.substr(0, 2) == "W/" && tag == etag.substr(2))) return true;
    if (comma == std::string_view::npos) break;
    if_none_match.remove_prefix(comma + 1);
  }
  return false;
}

const std::string* find_header(const Response& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (iequals(key, name)) return &value;
  }
  return nullptr;
}

// The same place over https://: the Host the client asked for (when it is a plain host name or
// address, with its port: this one), else this end's address.
Response https_redirect(const Request& request, const std::string& local_address) {
  std::string host = request.header ? request.header("Host") : "";
  const bool plain_host =
      !host.empty() && host.size() <= 255 && std::all_of(host.begin(), host.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' ||
               c == '[' || c == ']';
      });
  if (!plain_host) host = local_address;
  std::string target = request.path;
  if (!request.query.empty()) target += "?" + request.query;
  if (target.empty() || target[0] != '/' || has_line_break(target)) target = "/";
  Response r;
  r.status = 301;
  r.content_type = "text/plain; charset=utf-8";
  r.body = "This gateway speaks HTTPS only: https://" + host + target + "\n";
  r.headers.emplace_back("Location", "https://" + host + target);
  return r;
}

}  // namespace

Session::Session(std::shared_ptr<ServerCore> core, tcp::socket socket)
    : core_(std::move(core)),
      stream_(core_->tls ? Stream(std::move(socket), *core_->tls) : Stream(std::move(socket))),
      // Room for a full header plus some body; the body itself goes into the request, so the
      // buffer only grows past this for input the parser cannot make progress on.
      buffer_(core_->options.max_header_bytes + 16 * 1024) {
  beast::error_code ec;
  auto remote = stream_.tcp().socket().remote_endpoint(ec);
  if (!ec) {
    remote_address_ = address_text(remote.address());
    from_loopback_ = is_loopback(remote.address());
  }
}

Session::~Session() {
  close();
}

// "address:port" of this end, for a redirect without a usable Host: asked only on that rare
// path, not for every connection.
std::string Session::local_address() {
  beast::error_code ec;
  const auto local = stream_.tcp().socket().local_endpoint(ec);
  if (ec) return "localhost";
  const std::string address = address_text(local.address());
  // An IPv4 client of a dual-stack listener has a mapped address, written as IPv4.
  return (address.find(':') != std::string::npos ? "[" + address + "]" : address) + ":" +
         std::to_string(local.port());
}

void Session::start() {
  counted_ = true;
  ++core_->metrics.connections_open;
  if (!stream_.secure()) return read_request();
  // Detecting TLS and the handshake get the same time a request gets (the stream's timer
  // covers both: they read through it).
  stream_.tcp().expires_after(core_->options.request_timeout);
  // A TLS client opens with a handshake record; anything else is most likely someone who
  // typed http:// — they get a redirect instead of a reset connection. What was read stays in
  // buffer_, for the handshake or the HTTP parser.
  beast::async_detect_ssl(stream_.tcp(), buffer_,
                          [self = shared_from_this()](const beast::error_code& ec, bool is_tls) {
                            if (self->closed_) return;
                            if (ec) return self->close();
                            if (is_tls) return self->handshake();
                            const auto bytes = self->buffer_.data();
                            const auto* first = static_cast<const unsigned char*>(bytes.data());
                            if (bytes.size() == 0 || !std::isupper(*first)) {
                              ++self->core_->metrics.bad_requests;  // neither TLS nor HTTP
                              return self->close();
                            }
                            self->stream_.fall_back_to_plain();
                            self->redirect_to_tls_ = true;
                            self->read_request();
                          });
}

void Session::handshake() {
  stream_.async_handshake(
      buffer_.data(), [self = shared_from_this()](const beast::error_code& ec, std::size_t used) {
        if (self->closed_) return;
        if (ec) {
          ++self->core_->metrics.bad_requests;  // not TLS, or a client that gave up
          return self->close();
        }
        self->buffer_.consume(used);
        self->read_request();
      });
}

void Session::reject() {
  ++core_->metrics.connections_rejected;
  send(json_error(503, "too_many_connections",
                  "The gateway has too many open connections; try again shortly."),
       false, false);
}

void Session::close() {
  if (closed_) return;
  closed_ = true;
  stream_.tcp().close();
  core_->forget(this);
  if (counted_) --core_->metrics.connections_open;
  events_.clear();
  events_pending_bytes_ = 0;
}

void Session::read_request() {
  parser_.emplace();
  apply_limits(*parser_,
               ParseLimits{core_->options.max_header_bytes, core_->options.max_body_bytes});
  // The timeout also covers an idle keep-alive connection waiting for its next request.
  stream_.tcp().expires_after(core_->options.request_timeout);
  http::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
}

void Session::on_header(const beast::error_code& ec) {
  if (closed_) return;
  if (ec) return on_read_error(ec);
  // Plain HTTP on the TLS port: the redirect, before anything else (the event stream, a body).
  if (redirect_to_tls_) return handle();
  auto& message = parser_->get();
  if (message.method() == http::verb::get &&
      target_path(std_view(message.target())) == core_->events_path) {
    return start_events();
  }
  // curl and others wait for this before sending a large body.
  if (beast::iequals(message[http::field::expect], "100-continue") && !parser_->is_done()) {
    continue_line_ = "HTTP/1.1 100 Continue\r\n\r\n";
    asio::async_write(stream_, asio::buffer(continue_line_),
                      [self = shared_from_this()](beast::error_code write_ec, std::size_t) {
                        if (write_ec) return self->close();
                        self->read_body();
                      });
    return;
  }
  read_body();
}

void Session::read_body() {
  if (closed_) return;
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code ec, std::size_t) {
                     if (self->closed_) return;
                     if (ec) return self->on_read_error(ec);
                     self->handle();
                   });
}

void Session::on_read_error(const beast::error_code& ec) {
  // The client left, went quiet past the timeout, or the server is stopping: nobody to answer.
  if (ec == http::error::end_of_stream || ec == http::error::partial_message ||
      ec == asio::error::eof || ec == beast::error::timeout ||
      ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
      ec == asio::error::broken_pipe || ec.category() == asio::error::get_system_category()) {
    return close();
  }
  ++core_->metrics.requests_total;
  ++core_->metrics.bad_requests;
  send(parse_error_response(ec, parser_->is_header_done()), false, false);
}

void Session::handle() {
  ++core_->metrics.requests_total;
  auto& message = parser_->get();
  bool keep_alive = message.keep_alive();
  bool head = message.method() == http::verb::head;
  Request request;
  if (auto refused = to_request(message, request)) {
    ++core_->metrics.bad_requests;
    return send(std::move(*refused), false, head);
  }
  request.remote_address = remote_address_;
  request.from_loopback = from_loopback_;
  request.secure = stream_.secure();
  if (redirect_to_tls_) return send(https_redirect(request, local_address()), false, head);
  send(route(request), keep_alive, head);
}

Response Session::route(Request& request) {
  if (request.path == core_->events_path) {
    // GET never gets here: it became an event stream after the header.
    if (request.method == "HEAD") {
      Response response;
      response.content_type = "text/event-stream";
      response.headers.emplace_back("Cache-Control", "no-store");
      return response;
    }
    auto response = json_error(405, "method_not_allowed", "Use GET for the event stream.");
    response.headers.emplace_back("Allow", "GET, HEAD");
    return response;
  }
  auto report_handler_error = [this](const Request& r, std::string_view what) {
    if (!core_->options.on_handler_error) return;
    try {
      core_->options.on_handler_error(r.method + " " + r.path + ": " + std::string(what));
    } catch (...) {
    }
  };
  auto started = std::chrono::steady_clock::now();
  Response response;
  try {
    response = core_->router.dispatch(request);
  } catch (const std::exception& e) {
    // The exception text may carry internals or secrets: it goes to the log, and the client
    // gets a generic message.
    report_handler_error(request, e.what());
    response = json_error(500, "internal", "The gateway failed to handle this request.");
  } catch (...) {
    report_handler_error(request, "unknown exception");
    response = json_error(500, "internal", "The gateway failed to handle this request.");
  }
  core_->metrics.request_seconds_sum +=
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  if ((request.method == "GET" || request.method == "HEAD") && response.status == 200) {
    const std::string* etag = find_header(response, "ETag");
    if (etag != nullptr && request.header && etag_matches(request.header("If-None-Match"), *etag)) {
      response.status = 304;
      response.body.clear();
    }
  }
  return response;
}

void Session::send(Response response, bool keep_alive, bool head) {
  if (closed_) return;
  int status = response.status;
  if (status < 100 || status > 599) status = 500;
  auto& metrics = core_->metrics;
  if (status < 300) {
    ++metrics.responses_2xx;
  } else if (status < 400) {
    ++metrics.responses_3xx;
  } else if (status < 500) {
    ++metrics.responses_4xx;
  } else {
    ++metrics.responses_5xx;
  }

  auto& res = response_.emplace();
  res.version(11);
  res.result(static_cast<unsigned>(status));
  res.set(http::field::server, "pilemesh");
  res.set("X-Content-Type-Options", "nosniff");
  bool bodiless = status == 204 || status == 304 || status < 200;
  if (!bodiless && !response.content_type.empty() && !has_line_break(response.content_type)) {
    res.set(http::field::content_type, response.content_type);
  }
  bool json = response.content_type.rfind("application/json", 0) == 0;
  if (json && find_header(response, "Cache-Control") == nullptr) {
    res.set(http::field::cache_control, "no-store");
  }
  for (const auto& [name, value] : response.headers) {
    // A handler echoing client input into a header must not be able to split the response.
    if (name.empty() || has_line_break(name) || has_line_break(value)) continue;
    res.insert(name, value);
  }
  res.keep_alive(keep_alive);
  if (bodiless) {
    res.content_length(boost::none);
  } else {
    std::size_t size = response.body.size();
    if (!head) res.body() = std::move(response.body);
    res.content_length(size);
  }

  stream_.tcp().expires_after(core_->options.request_timeout);
  http::async_write(stream_, res,
                    [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
                      if (self->closed_) return;
                      self->response_.reset();
                      if (ec) return self->close();
                      if (keep_alive) return self->read_request();
                      self->close_gracefully();
                    });
}

void Session::close_gracefully() {
  beast::error_code ec;
  stream_.tcp().socket().shutdown(tcp::socket::shutdown_send, ec);
  if (ec) return close();
  stream_.tcp().expires_after(
      std::min<std::chrono::steady_clock::duration>(kLingerLimit, core_->options.request_timeout));
  drain();
}

void Session::drain() {
  stream_.async_read_some(asio::buffer(scratch_),
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                            if (ec) return self->close();
                            self->drain();
                          });
}

std::string Session::audience() const {
  if (!core_->options.event_audience || !events_request_.header) return "";
  try {
    return core_->options.event_audience(events_request_);
  } catch (const std::exception&) {
    return "";  // anyone's events only
  }
}

void Session::start_events() {
  ++core_->metrics.requests_total;
  if (core_->options.event_audience) {
    // Only the Cookie header is kept: what decides who the subscriber is.
    const auto& message = parser_->get();
    const auto cookie = message.find(http::field::cookie);
    auto kept = std::make_shared<const std::string>(
        cookie == message.end() ? std::string() : std::string(cookie->value()));
    events_request_.method = "GET";
    events_request_.path = core_->events_path;
    events_request_.remote_address = remote_address_;
    events_request_.from_loopback = from_loopback_;
    events_request_.header = [kept](std::string_view name) {
      return beast::iequals(beast::string_view(name.data(), name.size()), "Cookie") ? *kept
                                                                                    : std::string();
    };
  }
  ++core_->metrics.responses_2xx;
  // An event stream lives as long as the client wants it; slow clients are caught by the
  // backlog limit instead.
  stream_.tcp().expires_never();
  core_->add_subscriber(this);
  // No length and no chunking: the body is everything until the connection closes.
  send_event(
      std::make_shared<const std::string>("HTTP/1.1 200 OK\r\n"
                                          "Server: pilemesh\r\n"
                                          "Content-Type: text/event-stream\r\n"
                                          "Cache-Control: no-store\r\n"
                                          "X-Content-Type-Options: nosniff\r\n"
                                          "X-Accel-Buffering: no\r\n"
                                          "Connection: keep-alive\r\n"
                                          "\r\n"));
  if (core_->on_subscribe) {
    try {
      auto [event, data] = core_->on_subscribe();
      send_event(std::make_shared<const std::string>(format_event(event, data)));
    } catch (const std::exception&) {
      // The first published event brings the client up to date instead.
    }
  }
  watch_events_client();
}

void Session::watch_events_client() {
  // The client never sends anything we need, but reading is how we learn that it has gone.
  stream_.async_read_some(asio::buffer(scratch_),
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                            if (ec) return self->close();
                            self->watch_events_client();
                          });
}

void Session::send_event(std::shared_ptr<const std::string> chunk) {
  if (closed_) return;
  if (!events_.empty() &&
      events_pending_bytes_ + chunk->size() > core_->options.max_event_backlog_bytes) {
    return close();
  }
  events_pending_bytes_ += chunk->size();
  events_.push_back(std::move(chunk));
  if (!writing_event_) write_next_event();
}

void Session::write_next_event() {
  writing_event_ = true;
  asio::async_write(stream_, asio::buffer(*events_.front()),
                    [self = shared_from_this()](beast::error_code ec, std::size_t) {
                      self->writing_event_ = false;
                      if (self->closed_) return;
                      if (ec) return self->close();
                      self->events_pending_bytes_ -= self->events_.front()->size();
                      self->events_.pop_front();
                      if (!self->events_.empty()) self->write_next_event();
                    });
}

}  // namespace pilemesh::web::detail

// A client connection's byte stream: plain TCP on loopback, TLS elsewhere. One type for the
// session to read and write, so that its HTTP code is the same either way.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <optional>
#include <utility>

namespace pilemesh::web::detail {

class Stream {
 public:
  using executor_type = boost::beast::tcp_stream::executor_type;

  explicit Stream(boost::asio::ip::tcp::socket socket) : plain_(std::in_place, std::move(socket)) {}
  Stream(boost::asio::ip::tcp::socket socket, boost::asio::ssl::context& tls)
      : tls_(std::in_place, std::move(socket), tls) {}

  bool secure() const { return tls_.has_value(); }
  executor_type get_executor() { return tcp().get_executor(); }
  // The TCP layer: timeouts, the socket, closing.
  boost::beast::tcp_stream& tcp() { return tls_ ? boost::beast::get_lowest_layer(*tls_) : *plain_; }

  // AsyncReadStream and AsyncWriteStream, for Beast's and Asio's composed operations.
  template <class Buffers, class Handler>
  void async_read_some(const Buffers& buffers, Handler&& handler) {
    if (tls_)
      tls_->async_read_some(buffers, std::forward<Handler>(handler));
    else
      plain_->async_read_some(buffers, std::forward<Handler>(handler));
  }
  template <class Buffers, class Handler>
  void async_write_some(const Buffers& buffers, Handler&& handler) {
    if (tls_)
      tls_->async_write_some(buffers, std::forward<Handler>(handler));
    else
      plain_->async_write_some(buffers, std::forward<Handler>(handler));
  }
  // TLS only: the server side of the handshake, starting with the bytes read already;
  // handler(error_code, bytes of them used).
  template <class Buffers, class Handler>
  void async_handshake(const Buffers& already_read, Handler&& handler) {
    tls_->async_handshake(boost::asio::ssl::stream_base::server, already_read,
                          std::forward<Handler>(handler));
  }
  // TLS only, before the handshake: the client spoke plain HTTP to the TLS port. The connection
  // goes on unencrypted, for the one answer that sends it to https://.
  void fall_back_to_plain() {
    plain_.emplace(boost::beast::get_lowest_layer(*tls_).release_socket());
    tls_.reset();
  }

 private:
  std::optional<boost::beast::tcp_stream> plain_;
  std::optional<boost::beast::ssl_stream<boost::beast::tcp_stream>> tls_;
};

}  // namespace pilemesh::web::detail

// A small blocking HTTP client on raw Asio sockets, independent of the server's Beast code so a
// parsing bug on one side is not mirrored on the other.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace pilemesh::web::test {

struct Reply {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::string header(const std::string& lower_name) const;
};

boost::asio::ip::tcp::socket connect(boost::asio::io_context& io, std::uint16_t port);
void send(boost::asio::ip::tcp::socket& socket, std::string_view bytes);
// Reads one response from `buffer` + the socket; `head` for responses without a body.
Reply read_reply(boost::asio::ip::tcp::socket& socket, std::string& buffer, bool head = false);
// Reads until `needle` is in `buffer`; false when the connection ends first.
bool read_until(boost::asio::ip::tcp::socket& socket, std::string& buffer, std::string_view needle);
// Everything until the server closes the connection.
std::string read_to_eof(boost::asio::ip::tcp::socket& socket, std::string& buffer);
// Connects, sends `raw` and reads the one response.
Reply exchange(std::uint16_t port, std::string_view raw, bool head = false);

}  // namespace pilemesh::web::test

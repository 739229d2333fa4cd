#include "http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <cctype>
#include <stdexcept>

namespace pilemesh::web::test {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

std::string Reply::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? "" : it->second;
}

tcp::socket connect(asio::io_context& io, std::uint16_t port) {
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  return socket;
}

void send(tcp::socket& socket, std::string_view bytes) {
  asio::write(socket, asio::buffer(bytes.data(), bytes.size()));
}

bool read_until(tcp::socket& socket, std::string& buffer, std::string_view needle) {
  boost::system::error_code ec;
  asio::read_until(socket, asio::dynamic_buffer(buffer), std::string(needle), ec);
  return buffer.find(needle) != std::string::npos;
}

std::string read_to_eof(tcp::socket& socket, std::string& buffer) {
  boost::system::error_code ec;
  asio::read(socket, asio::dynamic_buffer(buffer), ec);
  return std::move(buffer);
}

Reply read_reply(tcp::socket& socket, std::string& buffer, bool head) {
  if (!read_until(socket, buffer, "\r\n\r\n")) throw std::runtime_error("no response: " + buffer);
  auto header_end = buffer.find("\r\n\r\n");
  std::string header_text = buffer.substr(0, header_end);
  buffer.erase(0, header_end + 4);

  Reply reply;
  auto line_end = header_text.find("\r\n");
  std::string status_line = header_text.substr(0, line_end);
  if (status_line.rfind("HTTP/1.1 ", 0) != 0) throw std::runtime_error("bad status line");
  reply.status = std::stoi(status_line.substr(9, 3));
  while (line_end != std::string::npos) {
    auto start = line_end + 2;
    line_end = header_text.find("\r\n", start);
    std::string line = header_text.substr(start, line_end - start);
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    reply.headers[name] = value;
  }
  std::size_t length = 0;
  if (!head && reply.headers.count("content-length") != 0) {
    length = std::stoul(reply.headers["content-length"]);
  }
  if (buffer.size() < length) {
    boost::system::error_code ec;
    asio::read(socket, asio::dynamic_buffer(buffer), asio::transfer_exactly(length - buffer.size()),
               ec);
  }
  reply.body = buffer.substr(0, length);
  buffer.erase(0, length);
  return reply;
}

Reply exchange(std::uint16_t port, std::string_view raw, bool head) {
  asio::io_context io;
  auto socket = connect(io, port);
  send(socket, raw);
  std::string buffer;
  return read_reply(socket, buffer, head);
}

}  // namespace pilemesh::web::test

// The HTTP transport: routing over real sockets, malformed input, limits, timeouts, stopping.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "server_fixture.hpp"

namespace pilemesh::web::test {
namespace {

using boost::asio::ip::tcp;

std::string error_code(const Reply& reply) {
  auto body = nlohmann::json::parse(reply.body, nullptr, false);
  if (body.is_discarded() || !body.contains("error"))
    return "<not an error body: " + reply.body + ">";
  return body["error"].value("code", "");
}

class HttpServerTest : public ServerFixture {
 protected:
  void SetUp() override {
    router.add("GET", "/api/v1/status",
               [](const Request&) { return json_response(200, R"({"name":"demo"})"); });
    router.add("POST", "/api/v1/piles/{id}/limit", [](const Request& request) {
      nlohmann::json echo = {{"method", request.method},
                             {"path", request.path},
                             {"query", request.query},
                             {"id", request.params.at("id")},
                             {"body", request.body},
                             {"content_type", request.content_type},
                             {"remote", request.remote_address},
                             {"loopback", request.from_loopback},
                             {"token", request.header("x-token")},
                             {"missing", request.header("X-Missing")}};
      return json_response(200, echo.dump());
    });
    router.add("GET", "/boom", [](const Request&) -> Response {
      throw std::runtime_error("secret database password in here");
    });
    router.add("GET", "/page", [](const Request&) {
      Response response{200, "text/html; charset=utf-8", "<p>hi</p>", {{"ETag", "\"v1\""}}};
      return response;
    });
  }
};

TEST_F(HttpServerTest, AnswersAJsonRouteWithTheStandardHeaders) {
  start();
  auto reply = exchange("GET /api/v1/status HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, R"({"name":"demo"})");
  EXPECT_EQ(reply.header("content-type"), "application/json");
  EXPECT_EQ(reply.header("cache-control"), "no-store");
  EXPECT_EQ(reply.header("x-content-type-options"), "nosniff");
  EXPECT_EQ(reply.header("server"), "pilemesh");
  EXPECT_EQ(metrics().requests_total, 1u);
  EXPECT_EQ(metrics().responses_2xx, 1u);
}

TEST_F(HttpServerTest, FillsTheRequest) {
  start();
  auto reply = exchange(
      "POST /api/v1/piles/pile%201/limit?dry=1 HTTP/1.1\r\nHost: x\r\nX-Token: abc\r\n"
      "Content-Type: application/json\r\nContent-Length: 15\r\n\r\n{\"limit\":16000}");
  ASSERT_EQ(reply.status, 200) << reply.body;
  auto echo = nlohmann::json::parse(reply.body);
  EXPECT_EQ(echo["method"], "POST");
  EXPECT_EQ(echo["path"], "/api/v1/piles/pile%201/limit");
  EXPECT_EQ(echo["query"], "dry=1");
  EXPECT_EQ(echo["id"], "pile 1");
  EXPECT_EQ(echo["body"], "{\"limit\":16000}");
  EXPECT_EQ(echo["content_type"], "application/json");
  EXPECT_EQ(echo["remote"], "127.0.0.1");
  EXPECT_EQ(echo["loopback"], true);
  EXPECT_EQ(echo["token"], "abc");
  EXPECT_EQ(echo["missing"], "");
}

TEST_F(HttpServerTest, KeepsTheConnectionAliveBetweenRequests) {
  start();
  auto p = port();
  auto replies = with_client([p] {
    boost::asio::io_context context;
    auto socket = connect(context, p);
    std::string buffer;
    send(socket, "GET /api/v1/status HTTP/1.1\r\nHost: x\r\n\r\n");
    auto first = read_reply(socket, buffer);
    send(socket, "GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n");
    auto second = read_reply(socket, buffer);
    return std::make_pair(first, second);
  });
  EXPECT_EQ(replies.first.status, 200);
  EXPECT_EQ(replies.second.status, 404);
  EXPECT_EQ(error_code(replies.second), "not_found");
}

TEST_F(HttpServerTest, HeadAnswersLikeGetWithoutTheBody) {
  start();
  auto reply =
      exchange("HEAD /api/v1/status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", true);
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.header("content-length"), "15");
  EXPECT_EQ(reply.body, "");
}

TEST_F(HttpServerTest, NotFoundAndMethodNotAllowed) {
  start();
  auto missing = exchange("GET /api/v2/status HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(error_code(missing), "not_found");
  auto wrong = exchange("DELETE /api/v1/status HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(error_code(wrong), "method_not_allowed");
  EXPECT_EQ(wrong.header("allow"), "GET, HEAD");
}

TEST_F(HttpServerTest, OversizedHeadersGet431AndTheServerKeepsServing) {
  options.max_header_bytes = 1024;
  start();
  auto reply = exchange(
      "GET /api/v1/status HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4096, 'a') + "\r\n\r\n");
  EXPECT_EQ(reply.status, 431);
  EXPECT_EQ(error_code(reply), "headers_too_large");
  EXPECT_EQ(exchange("GET /api/v1/status HTTP/1.1\r\nHost: x\r\n\r\n").status, 200);
  EXPECT_EQ(metrics().bad_requests, 1u);
}

TEST_F(HttpServerTest, OversizedBodyGets413) {
  options.max_body_bytes = 1024;
  start();
  auto declared =
      exchange("POST /api/v1/piles/p/limit HTTP/1.1\r\nHost: x\r\nContent-Length: 4096\r\n\r\n" +
               std::string(4096, 'x'));
  EXPECT_EQ(declared.status, 413);
  EXPECT_EQ(error_code(declared), "body_too_large");
  std::string chunk(1000, 'y');
  auto chunked = exchange(
      "POST /api/v1/piles/p/limit HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3e8\r\n" +
      chunk + "\r\n3e8\r\n" + chunk + "\r\n0\r\n\r\n");
  EXPECT_EQ(chunked.status, 413);
  EXPECT_EQ(exchange("GET /api/v1/status HTTP/1.1\r\nHost: x\r\n\r\n").status, 200);
}

TEST_F(HttpServerTest, GarbageGets400) {
  start();
  auto reply = exchange("this is not http\r\n\r\n");
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(error_code(reply), "bad_request");
  EXPECT_EQ(reply.header("content-type"), "application/json");
  EXPECT_EQ(exchange("GET /api/v1/status HTTP/1.1\r\nHost: x\r\n\r\n").status, 200);
}

TEST_F(HttpServerTest, UnknownMethodGets501) {
  start();
  auto reply = exchange("BREW /api/v1/status HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(reply.status, 501);
  EXPECT_EQ(error_code(reply), "not_implemented");
}

TEST_F(HttpServerTest, ThrowingHandlerGets500WithoutDetails) {
  std::vector<std::string> reported;
  options.on_handler_error = [&](std::string_view what) { reported.emplace_back(what); };
  start();
  auto reply = exchange("GET /boom HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_EQ(reported.size(), 1u) << "the failure reaches the log";
  EXPECT_EQ(reported[0].rfind("GET /boom: ", 0), 0u) << reported[0];
  EXPECT_EQ(reply.status, 500);
  EXPECT_EQ(error_code(reply), "internal");
  EXPECT_EQ(reply.body.find("secret"), std::string::npos);
  EXPECT_EQ(exchange("GET /api/v1/status HTTP/1.1\r\nHost: x\r\n\r\n").status, 200);
  EXPECT_EQ(metrics().responses_5xx, 1u);
}

TEST_F(HttpServerTest, MatchingEtagGets304) {
  start();
  auto fresh = exchange("GET /page HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(fresh.status, 200);
  EXPECT_EQ(fresh.header("etag"), "\"v1\"");
  EXPECT_EQ(fresh.header("cache-control"), "");  // only JSON is no-store by default
  auto cached = exchange("GET /page HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"v0\", \"v1\"\r\n\r\n");
  EXPECT_EQ(cached.status, 304);
  EXPECT_EQ(cached.body, "");
}

TEST_F(HttpServerTest, AnswersExpectContinue) {
  start();
  auto p = port();
  auto reply = with_client([p] {
    boost::asio::io_context context;
    auto socket = connect(context, p);
    std::string buffer;
    send(socket,
         "POST /api/v1/piles/p/limit HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
         "Content-Length: 2\r\n\r\n");
    auto interim = read_reply(socket, buffer, true);
    if (interim.status != 100) return interim;
    send(socket, "{}");
    return read_reply(socket, buffer);
  });
  EXPECT_EQ(reply.status, 200);
}

TEST_F(HttpServerTest, IdleConnectionIsClosedAfterTheRequestTimeout) {
  options.request_timeout = std::chrono::milliseconds(200);
  start();
  auto p = port();
  auto received = with_client([p] {
    boost::asio::io_context context;
    auto socket = connect(context, p);
    std::string buffer;
    send(socket, "GET /api/v1/sta");  // never finished
    return read_to_eof(socket, buffer);
  });
  EXPECT_EQ(received, "");
  run_until([&] { return metrics().connections_open == 0; });
}

TEST_F(HttpServerTest, RejectsConnectionsOverTheLimit) {
  options.max_connections = 2;
  start();
  auto p = port();
  auto first = connect(client_io, p);
  auto second = connect(client_io, p);
  run_until([&] { return metrics().connections_open == 2; });

  auto rejected = exchange("GET /api/v1/status HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(rejected.status, 503);
  EXPECT_EQ(error_code(rejected), "too_many_connections");
  EXPECT_EQ(metrics().connections_rejected, 1u);

  first.close();
  run_until([&] { return metrics().connections_open == 1; });
  EXPECT_EQ(exchange("GET /api/v1/status HTTP/1.1\r\nHost: x\r\n\r\n").status, 200);
}

TEST_F(HttpServerTest, StartReportsAPortInUse) {
  start();
  ServerOptions taken = options;
  taken.port = port();
  HttpServer second(io, taken, router, "/events", nullptr);
  auto message = second.start();
  EXPECT_EQ(message.rfind("cannot listen on 127.0.0.1:" + std::to_string(port()) + ": ", 0), 0u)
      << message;
  EXPECT_NE(message.find("in use"), std::string::npos) << message;
}

TEST_F(HttpServerTest, StartReportsABadAddress) {
  options.bind = "203.0.113.77";  // not an address of this machine
  server = std::make_unique<HttpServer>(io, options, router, "/events", nullptr);
  auto message = server->start();
  EXPECT_EQ(message.rfind("cannot listen on 203.0.113.77:0: ", 0), 0u) << message;
}

TEST_F(HttpServerTest, ListensOnIpv6Loopback) {
  options.bind = "::1";
  server = std::make_unique<HttpServer>(io, options, router, "/events", nullptr);
  if (!server->start().empty()) GTEST_SKIP() << "no IPv6 on this machine";
  auto p = port();
  auto reply = with_client([p] {
    boost::asio::io_context client;
    tcp::socket socket(client);
    socket.connect(tcp::endpoint(boost::asio::ip::make_address("::1"), p));
    send(socket, "GET /api/v1/status HTTP/1.1\r\nHost: x\r\n\r\n");
    std::string buffer;
    return read_reply(socket, buffer);
  });
  EXPECT_EQ(reply.status, 200);
}

TEST_F(HttpServerTest, StopLetsTheLoopReturn) {
  start();
  // A keep-alive connection left open, as a browser would.
  auto socket = connect(client_io, port());
  std::string buffer;
  auto reply = with_client([&] {
    send(socket, "GET /api/v1/status HTTP/1.1\r\nHost: x\r\n\r\n");
    return read_reply(socket, buffer);
  });
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(metrics().connections_open, 1u);
  server->stop();
  io.run();  // returns only once nothing is pending
  EXPECT_EQ(read_to_eof(socket, buffer), "");
  EXPECT_EQ(metrics().connections_open, 0u);
}

}  // namespace
}  // namespace pilemesh::web::test

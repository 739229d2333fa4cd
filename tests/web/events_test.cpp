// Server-sent events over a real socket.
#include <gtest/gtest.h>

#include "server_fixture.hpp"

namespace pilemesh::web::test {
namespace {

constexpr std::string_view kSubscribe =
    "GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n";

class EventsTest : public ServerFixture {
 protected:
  void SetUp() override {
    snapshot = {"snapshot", R"({"name":"demo","piles":[]})"};
    options.request_timeout = std::chrono::milliseconds(200);
  }

  // Subscribes on a socket the test keeps, and returns what arrived up to the first event.
  std::string subscribe(boost::asio::ip::tcp::socket& socket, std::string& buffer) {
    return with_client([&] {
      send(socket, kSubscribe);
      read_until(socket, buffer, "}\n\n");
      return buffer;
    });
  }
};

TEST_F(EventsTest, SubscriberGetsTheSnapshotThenPublishedEvents) {
  start();
  auto socket = connect(client_io, port());
  std::string buffer;
  auto first = subscribe(socket, buffer);
  EXPECT_EQ(first.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << first;
  EXPECT_NE(first.find("Content-Type: text/event-stream\r\n"), std::string::npos);
  EXPECT_NE(first.find("Cache-Control: no-store\r\n"), std::string::npos);
  EXPECT_NE(first.find("\r\n\r\nevent: snapshot\ndata: {\"name\":\"demo\",\"piles\":[]}\n\n"),
            std::string::npos)
      << first;
  EXPECT_EQ(metrics().event_subscribers, 1u);
  buffer.clear();

  server->events().publish("pile", R"({"id":"pile-1"})");
  server->events().publish("meter", "{\"id\":\"house\",\n\"power_w\":5}");
  auto events = with_client([&] {
    read_until(socket, buffer, "power_w\":5}\n\n");
    return buffer;
  });
  EXPECT_EQ(events,
            "event: pile\ndata: {\"id\":\"pile-1\"}\n\n"
            "event: meter\ndata: {\"id\":\"house\",\ndata: \"power_w\":5}\n\n");

  socket.close();
  run_until([&] { return metrics().event_subscribers == 0; });
  EXPECT_EQ(metrics().connections_open, 0u);
}

TEST_F(EventsTest, PublishToReachesOnlyTheAudienceItAccepts) {
  // The audience comes from the subscriber's request: here, its cookie's value.
  options.event_audience = [](const Request& r) { return cookie_value(r.header("Cookie"), "who"); };
  start();
  auto alice = connect(client_io, port());
  auto anyone = connect(client_io, port());
  std::string alice_buffer, anyone_buffer;
  with_client([&] {
    send(alice, "GET /api/v1/events HTTP/1.1\r\nHost: x\r\nCookie: a=1; who=alice\r\n\r\n");
    read_until(alice, alice_buffer, "}\n\n");
    return 0;
  });
  subscribe(anyone, anyone_buffer);
  alice_buffer.clear();
  anyone_buffer.clear();

  auto only = [](std::string_view name) {
    return [name](std::string_view audience) { return audience == name; };
  };
  server->events().publish_to("service", R"({"for":"bob"})", only("bob"));
  server->events().publish_to("service", R"({"for":"alice"})", only("alice"));
  server->events().publish_to("service", R"({"for":"anyone"})", only(""));
  server->events().publish("pile", R"({"id":"end"})");
  with_client([&] {
    read_until(alice, alice_buffer, "\"end\"}\n\n");
    read_until(anyone, anyone_buffer, "\"end\"}\n\n");
    return 0;
  });
  EXPECT_EQ(alice_buffer,
            "event: service\ndata: {\"for\":\"alice\"}\n\n"
            "event: pile\ndata: {\"id\":\"end\"}\n\n");
  EXPECT_EQ(anyone_buffer,
            "event: service\ndata: {\"for\":\"anyone\"}\n\n"
            "event: pile\ndata: {\"id\":\"end\"}\n\n");
}

TEST_F(EventsTest, StreamOutlivesTheRequestTimeoutAndGetsKeepalives) {
  options.event_keepalive = std::chrono::milliseconds(300);  // longer than the request timeout
  start();
  auto socket = connect(client_io, port());
  std::string buffer;
  subscribe(socket, buffer);
  buffer.clear();
  auto received = with_client([&] {
    read_until(socket, buffer, ": keepalive\n\n");
    return buffer;
  });
  EXPECT_EQ(received, ": keepalive\n\n");
  EXPECT_EQ(metrics().event_subscribers, 1u);
}

TEST_F(EventsTest, SlowSubscriberIsDropped) {
  options.max_event_backlog_bytes = 1024;
  start();
  auto socket = connect(client_io, port());
  std::string buffer;
  subscribe(socket, buffer);
  // Without running the loop nothing gets written, so the backlog only grows.
  std::string data = "\"" + std::string(300, 'x') + "\"";
  for (int i = 0; i < 10; ++i) server->events().publish("pile", data);
  EXPECT_EQ(metrics().event_subscribers, 0u);
}

TEST_F(EventsTest, OtherMethodsOnTheEventsPath) {
  start();
  auto head = exchange("HEAD /api/v1/events HTTP/1.1\r\nHost: x\r\n\r\n", true);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header("content-type"), "text/event-stream");
  auto post = exchange("POST /api/v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(post.header("allow"), "GET, HEAD");
  EXPECT_EQ(metrics().event_subscribers, 0u);
}

TEST_F(EventsTest, StopClosesSubscribers) {
  start();
  auto socket = connect(client_io, port());
  std::string buffer;
  subscribe(socket, buffer);
  server->stop();
  io.run();
  buffer.clear();
  EXPECT_EQ(read_to_eof(socket, buffer), "");
  EXPECT_EQ(metrics().event_subscribers, 0u);
}

}  // namespace
}  // namespace pilemesh::web::test

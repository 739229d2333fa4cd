// A server on 127.0.0.1 with a free port whose io_context runs in the test thread, while the
// blocking client runs on its own thread; the test thread runs the loop until the client is done,
// so nothing waits on a clock.
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <thread>
#include <utility>

#include "http_client.hpp"
#include "pilemesh/web/server.hpp"

namespace pilemesh::web::test {

class ServerFixture : public ::testing::Test {
 protected:
  ServerFixture() {
    options.port = 0;
    options.request_timeout = std::chrono::milliseconds(2000);
  }

  void start() {
    server = std::make_unique<HttpServer>(io, options, router, "/api/v1/events",
                                          [this] { return snapshot; });
    ASSERT_EQ(server->start(), "");
    ASSERT_NE(server->port(), 0);
  }

  std::uint16_t port() const { return server->port(); }
  const HttpMetrics& metrics() const { return server->metrics(); }

  // Runs the event loop until `done()`; fails rather than hangs when nothing happens for long.
  template <typename Done>
  void run_until(Done done) {
    while (!done()) {
      if (io.run_one_for(std::chrono::seconds(10)) == 0) {
        // Unblock whatever client thread is still reading before giving up.
        server->stop();
        io.restart();
        io.poll();
        throw std::runtime_error("the event loop went idle before the test condition held");
      }
    }
  }

  // Runs `client` on its own thread and the event loop here until it returns.
  template <typename Client>
  auto with_client(Client client) -> decltype(client()) {
    using Result = decltype(client());
    std::promise<Result> promise;
    auto result = promise.get_future();
    std::thread thread([this, &promise, client]() mutable {
      try {
        promise.set_value(client());
      } catch (...) {
        promise.set_exception(std::current_exception());
      }
      // The loop may have nothing left to do by now; wake it to see the result.
      boost::asio::post(io, [] {});
    });
    try {
      run_until(
          [&] { return result.wait_for(std::chrono::seconds(0)) == std::future_status::ready; });
    } catch (...) {
      thread.join();
      throw;
    }
    thread.join();
    return result.get();
  }

  Reply exchange(std::string_view raw, bool head = false) {
    std::string copy(raw);
    auto p = port();
    return with_client([p, copy, head] { return test::exchange(p, copy, head); });
  }

  boost::asio::io_context io;
  boost::asio::io_context client_io;  // owns sockets the test keeps open across steps
  ServerOptions options;
  Router router;
  std::pair<std::string, std::string> snapshot{"snapshot", R"({"piles":[]})"};
  std::unique_ptr<HttpServer> server;
};

}  // namespace pilemesh::web::test

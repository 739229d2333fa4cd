// An in-memory OCPP endpoint for testing OCPP drivers without a socket: it records what the
// driver attached, and plays a charge point's connection — frames in through the driver's
// handler, the driver's frames out into `sent`.
//
//   test::FakeOcppEndpoint endpoint;
//   ctx.set_ocpp_endpoint(&endpoint);
//   ChargePoint16 driver(ctx);                 // attaches "CP001"
//   endpoint.open(hal::OcppVersion::k16);      // the pile connects
//   endpoint.receive(R"([2,"1","Heartbeat",{}])");
//   endpoint.sent.back();                      // [3,"1",{"currentTime":...}]
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "pilemesh/hal/ocpp_endpoint.hpp"

namespace pilemesh::test {

class FakeOcppConnection : public hal::OcppConnection {
 public:
  explicit FakeOcppConnection(hal::OcppVersion v) : version_(v) {}
  hal::OcppVersion version() const noexcept override { return version_; }
  std::string_view remote_address() const noexcept override { return "192.0.2.7:50122"; }
  hal::Status send(std::string_view text) noexcept override {
    if (closed_) return hal::Status::unavailable("closed");
    sent.push_back(nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false));
    return hal::Status::ok();
  }
  void close(std::string_view reason) noexcept override {
    closed_ = true;
    close_reason = std::string(reason);
  }
  // Every frame sent, parsed (a frame that is not JSON is recorded as discarded).
  std::vector<nlohmann::json> sent;
  std::string close_reason;

 private:
  hal::OcppVersion version_;
  bool closed_ = false;
};

class FakeOcppEndpoint : public hal::OcppEndpoint {
 public:
  hal::Status attach(std::string_view identity, const hal::OcppSecurity& security,
                     hal::OcppConnectionHandler& handler) noexcept override {
    if (handler_ != nullptr) return hal::Status::failed_precondition("attached already");
    identity_ = std::string(identity);
    security_ = security;
    handler_ = &handler;
    return hal::Status::ok();
  }
  void detach(std::string_view) noexcept override {
    handler_ = nullptr;
    connection_.reset();
  }
  std::size_t max_frame_bytes() const noexcept override { return 65536; }
  std::string url_prefix() const override { return "ws://192.0.2.1:8887/ocpp/"; }

  // The charge point connects (after a successful upgrade) / sends a frame / disconnects.
  void open(hal::OcppVersion version) {
    connection_ = std::make_unique<FakeOcppConnection>(version);
    handler_->on_open(*connection_);
  }
  void receive(std::string_view frame) { handler_->on_frame(frame); }
  void drop(const hal::Status& why) {
    handler_->on_close(why);
    connection_.reset();
  }

  bool attached() const noexcept { return handler_ != nullptr; }
  // Why the driver closed the open connection ("" while it has not).
  std::string connection_close_reason() const {
    return connection_ ? connection_->close_reason : std::string();
  }
  const std::string& identity() const noexcept { return identity_; }
  const hal::OcppSecurity& security() const noexcept { return security_; }
  // The open connection's frames from the driver (empty when none is open).
  const std::vector<nlohmann::json>& sent() const {
    static const std::vector<nlohmann::json> kNone;
    return connection_ ? connection_->sent : kNone;
  }

 private:
  std::string identity_;
  hal::OcppSecurity security_;
  hal::OcppConnectionHandler* handler_ = nullptr;
  std::unique_ptr<FakeOcppConnection> connection_;
};

}  // namespace pilemesh::test

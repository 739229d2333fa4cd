// pilemesh plugin SDK — Status: the result of every driver call.
//
// Drivers never throw across the plugin boundary. Every operation that can fail returns a
// Status; Status::ok() is success, anything else carries a code the gateway acts on and a
// message for the log that names what failed and where (e.g. "modbus 192.168.1.20:502 unit 1:
// timeout reading register 40001").
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace pilemesh::hal {

enum class StatusCode {
  kOk = 0,
  kUnavailable,         // the device cannot be reached now; the gateway retries with backoff
  kInvalidArgument,     // the request is out of range for this device (bad connector, limit)
  kNotSupported,        // the device cannot do this at all (e.g. phase switching)
  kFailedPrecondition,  // not possible in the current state (e.g. authorize while Faulted)
  kInternal,            // a bug or an unexpected answer from the device
};

class Status {
 public:
  // Success.
  Status() = default;
  static Status ok() { return {}; }
  static Status unavailable(std::string message) {
    return {StatusCode::kUnavailable, std::move(message)};
  }
  static Status invalid_argument(std::string message) {
    return {StatusCode::kInvalidArgument, std::move(message)};
  }
  static Status not_supported(std::string message) {
    return {StatusCode::kNotSupported, std::move(message)};
  }
  static Status failed_precondition(std::string message) {
    return {StatusCode::kFailedPrecondition, std::move(message)};
  }
  static Status internal(std::string message) {
    return {StatusCode::kInternal, std::move(message)};
  }

  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  bool is_ok() const noexcept { return code_ == StatusCode::kOk; }
  explicit operator bool() const noexcept { return is_ok(); }
  StatusCode code() const noexcept { return code_; }
  const std::string& message() const noexcept { return message_; }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Stable lower-case name of a code, for logs and the JSON API ("unavailable", ...).
constexpr std::string_view to_string(StatusCode code) noexcept {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kUnavailable:
      return "unavailable";
    case StatusCode::kInvalidArgument:
      return "invalid_argument";
    case StatusCode::kNotSupported:
      return "not_supported";
    case StatusCode::kFailedPrecondition:
      return "failed_precondition";
    case StatusCode::kInternal:
      return "internal";
  }
  return "unknown";
}

}  // namespace pilemesh::hal
